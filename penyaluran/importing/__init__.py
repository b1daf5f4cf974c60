"""The one engine for every tabular file: registry files and bank files are kinds of it.

readers (XLSX and CSV, streamed) -> columns (kinds, header matching) -> cells and checks (one row) ->
parallel (rows checked in forked workers) -> writers (set-based) and rejected (the refused rows as XLSX);
engine puts them together for a kind. It knows no model of the program: a kind brings its own.
"""

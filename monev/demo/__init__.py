"""The demo data set of `manage.py seed_demo`: a synthetic registry the size of DKI Jakarta's in 2021, months of
distribution, the monev of the field, and the demo users.

At --scale 1 (the default) it loads the figures of the Tikor meeting of 22 Sep 2021: 206.438 KPM,
253 e-warong, 292 agen and 24 penyedia. --scale F loads round(count x F) of each, at least 1, and at
least 6 e-warong so that every kota has one. The same --seed and --scale give the same rows.

The rows keep the rules of a clean registry, so only these planted ones break them (planted when
there are at least 20 active KPM; in brackets the check that should find them):
- two KPM share one No KK; every other KPM has its own [duplicate No KK];
- three KPM have status meninggal and still an e-warong; the other nonaktif, meninggal and pindah
  KPM have none [deceased KPM still served];
- one KPM is served by an e-warong in another kota; everyone else in their own kelurahan if it has
  an e-warong, else their kecamatan, else their kota [KPM served far from home];
- four KPM have no KKS number; every other KPM has a unique one that starts with its bank's prefix
  (KKS_PREFIX) [KKS never issued];
- the busiest e-warong serves far more KPM than its kapasitas_kpm, min(250, its KPM // 2), over
  800 KPM for 250 at full scale; every other e-warong's capacity covers its KPM [over capacity].
DKI had 816 KPM per e-warong on average, far above the Pedum's 250, so each e-warong's capacity is
set from its own load (rounded up to 50, with room to spare, at least 250); at 250 everywhere every
e-warong would be over capacity and the planted one would not stand out.

With --periode N (default 12) it then fills the months January..N of 2021, when no period exists yet: each
active KPM with a KKS is credited Rp200.000 on the 5th and spends it in one to three purchases at its own
e-warong between 07:00 and 21:00 (8/47/45 %); 5 % spend only part and 2 % nothing; 0,3 % of credits fail.
The last two months stay open, the earlier ones are closed. About 2,4 purchases per KPM a month: some
5,9 million purchases and 2,4 million credits at full scale, written with COPY on PostgreSQL. Planted for
reconciliation every month: two credits for NIKs outside the registry, one KPM credited twice, one
credited Rp150.000, three purchases on a terminal no e-warong owns; the KPM without KKS are credited
with status "kartu belum dibagikan"; the registry's three deceased KPM are credited and never spend.
Planted e-warong, each in its own kecamatan, never the over-capacity one, as many as the e-warong count
allows while two stay ordinary (3 at --scale 0.02, all 7 at full scale), in this order (DemoDistribusi):
- gesek_kolektif: every KPM buys once, the full balance, in bursts of 25 cards within five minutes
  [collective swiping; full balance in one purchase];
- malam: 70 % of purchases between 22:00 and 05:00 [outside hours];
- jauh: 40 KPM living in another kota buy only here [far from home];
- tidak_aktif: 12 nonaktif/meninggal/pindah KPM are credited and buy here [inactive KPM buying; credit
  for inactive KPM];
- banyak_outlet: 10 of its KPM use their card here and at three other e-warong [one card, many outlets];
- realisasi_rendah: 80 % of its KPM never spend [very low realisation; idle balance];
- sebelum_kartu: 25 of its KPM buy although the bank reports their KKS as not handed out [before card].
The busiest e-warong of the registry is over capacity [over capacity]. The command prints the codes.

With --periode N of at least 1 it then fills monev, when it holds no assignment, visit or complaint yet
(DemoMonev, monev/demo/monev.py): a monev team per kota led by its Tikor kota staff with the kota's pendamping,
one pendamping per kecamatan with an e-warong (the demo logins in Gambir and Tanah Abang, elsewhere accounts
without a password), and over the last N months up to the day before the run: assignments, visits on the
published e-warong instrument with its answers, scores and findings, corrective actions along the sanction
ladder, and complaints through every channel. The planted e-warong answer badly and carry most of the critical
findings and complaints. The same --seed gives the same rows, dated from the day of the run. The combined risk
scores of the open periods are recomputed afterwards (monev.risiko), so they count the field's findings.

Every run, also with --if-empty, creates or updates the demo users (tikor.accounts) and prints their
logins. Passwords are fresh and random on each run unless DEMO_PASSWORD is set. --hapus deletes monev's
field data, the distribution and the registry before loading again.

Modules: names (people, shops, streets), geometry (kelurahan shapes), registri, mitra and kpm (the registry),
distribusi (periods, credits, purchases, planted patterns), monev, jawaban, aduan and teks (the field), users.
"""

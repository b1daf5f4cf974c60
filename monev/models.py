"""Field evaluation (instruments, visits, findings, complaints) arrives with the monev issue."""

"""The registry's kinds of file: KPM, e-warong, agen and penyedia, for the import engine.

Each names its columns (the headers exports write, and the spellings people give them) and its row checker;
an import writes the model fields its columns fill.
"""

from penyaluran.importing.columns import Column, Kind
from penyaluran.registri.checks import AgenChecker, EWarongChecker, KpmChecker, PenyediaChecker, TerminalChecker
from penyaluran.registri.models import Agen, EWarong, Kpm, Penyedia, TerminalEdc

KELURAHAN_COLUMNS = (
    Column(
        "kode_kelurahan",
        "Kode Kelurahan",
        ("kode kel", "kode desa", "kode desa/kelurahan", "kode wilayah"),
        fills=("kelurahan_id",),
    ),
    Column(
        "kelurahan",
        "Kelurahan",
        ("kel", "kel.", "desa", "desa/kelurahan", "kelurahan/desa", "nama kelurahan"),
        fills=("kelurahan_id",),
    ),
    # The kecamatan only tells apart kelurahan of one name: alone it changes nothing.
    Column("kecamatan", "Kecamatan", ("kec", "kec.", "nama kecamatan", "kode kecamatan"), fills=()),
)
STATUS_COLUMN = Column("status", "Status", ("status kpm", "keterangan status"))
TELEPON_COLUMN = Column("telepon", "Telepon", ("no telepon", "no. hp", "no hp", "hp", "telp"))


def registry_kind(columns, **options):
    """A registry Kind: an import writes every model field its columns fill, in column order."""
    fields = tuple(dict.fromkeys(name for column in columns for name in column.filled))
    return Kind(columns=columns, fields=fields, **options)


KPM = registry_kind(
    name="kpm",
    label="KPM",
    model=Kpm,
    checker=KpmChecker,
    key="nik",
    columns=(
        Column("nik", "NIK", ("nik kpm", "nik penerima", "nik pengurus", "nik kepala keluarga", "nik krt"), True),
        Column("no_kk", "No KK", ("no. kk", "nomor kk", "no kartu keluarga", "nomor kartu keluarga", "kk"), True),
        Column(
            "nama",
            "Nama KPM",
            ("nama", "nama penerima", "nama pengurus", "nama kepala keluarga", "nama krt", "nama lengkap"),
            True,
        ),
        Column("jenis_kelamin", "Jenis Kelamin", ("jk", "l/p", "kelamin", "sex")),
        Column("tanggal_lahir", "Tanggal Lahir", ("tgl lahir", "tgl. lahir", "tanggal lahir kpm")),
        Column("alamat", "Alamat", ("alamat kpm", "alamat lengkap", "alamat rumah")),
        Column("rt", "RT"),
        Column("rw", "RW"),
        *KELURAHAN_COLUMNS,
        Column("nomor_kks", "Nomor KKS", ("no kks", "no. kks", "kks", "nomor kartu kks", "no kartu kks")),
        Column("bank_id", "Bank", ("kode bank", "nama bank", "bank penyalur", "himbara")),
        Column("ewarong_id", "Kode E-Warong", ("e-warong", "ewarong", "kode ewarong", "id e-warong", "kode e-warung")),
        STATUS_COLUMN,
        Column("sumber_data", "Sumber Data", ("sumber",)),
        Column("tahun_data", "Tahun Data", ("tahun",)),
    ),
    defaults={
        "tanggal_lahir": None,
        "alamat": "",
        "rt": "",
        "rw": "",
        "kelurahan_id": None,
        "nomor_kks": "",
        "bank_id": None,
        "ewarong_id": None,
        "status": "aktif",
        "sumber_data": "",
        "tahun_data": None,
    },
    always_updated=("jenis_kelamin",),
    key_label="NIK",
    companion="no_kk",
)

EWARONG = registry_kind(
    name="ewarong",
    label="e-warong",
    model=EWarong,
    checker=EWarongChecker,
    key="kode",
    columns=(
        Column("kode", "Kode E-Warong", ("kode", "id e-warong", "kode ewarong", "kode e-warung"), True),
        Column("nama", "Nama E-Warong", ("nama", "nama ewarong", "nama e-warung", "nama outlet"), True),
        Column("pemilik", "Pemilik", ("nama pemilik", "pengelola")),
        Column("alamat", "Alamat", ("alamat e-warong", "alamat lengkap")),
        *KELURAHAN_COLUMNS,
        Column("bank_id", "Bank", ("kode bank", "nama bank", "bank penyalur"), True),
        Column("agen_id", "Kode Agen", ("agen", "id agen")),
        Column("penyedia_id", "Kode Penyedia", ("penyedia", "id penyedia", "kode supplier", "supplier")),
        Column("latitude", "Lintang", ("latitude", "lat")),
        Column("longitude", "Bujur", ("longitude", "long", "lng", "lon")),
        Column("kapasitas_kpm", "Kapasitas KPM", ("kapasitas", "jumlah kpm maksimal")),
        STATUS_COLUMN,
    ),
    defaults={
        "pemilik": "",
        "alamat": "",
        "kelurahan_id": None,
        "agen_id": None,
        "penyedia_id": None,
        "latitude": None,
        "longitude": None,
        "kapasitas_kpm": 250,
        "status": "aktif",
    },
)

AGEN = registry_kind(
    name="agen",
    label="agen",
    model=Agen,
    checker=AgenChecker,
    key="kode",
    columns=(
        Column("kode", "Kode Agen", ("kode", "id agen", "kode agen bank"), True),
        Column("nama", "Nama Agen", ("nama", "nama usaha"), True),
        Column("pemilik", "Pemilik", ("nama pemilik",)),
        Column("bank_id", "Bank", ("kode bank", "nama bank"), True),
        Column("alamat", "Alamat", ("alamat agen", "alamat lengkap")),
        *KELURAHAN_COLUMNS,
        TELEPON_COLUMN,
        STATUS_COLUMN,
    ),
    defaults={"pemilik": "", "alamat": "", "kelurahan_id": None, "telepon": "", "status": "aktif"},
)

PENYEDIA = registry_kind(
    name="penyedia",
    label="penyedia",
    model=Penyedia,
    checker=PenyediaChecker,
    key="kode",
    columns=(
        Column("kode", "Kode Penyedia", ("kode", "id penyedia", "kode supplier"), True),
        Column("nama", "Nama Perusahaan", ("nama", "nama penyedia", "nama supplier"), True),
        Column("penanggung_jawab", "Penanggung Jawab", ("pj", "direktur", "nama penanggung jawab")),
        Column("npwp", "NPWP", ("no npwp", "nomor npwp")),
        Column("alamat", "Alamat", ("alamat kantor", "alamat lengkap")),
        *KELURAHAN_COLUMNS,
        TELEPON_COLUMN,
        Column("aktif", "Aktif", ("status", "status aktif")),
    ),
    defaults={
        "penanggung_jawab": "",
        "npwp": "",
        "alamat": "",
        "kelurahan_id": None,
        "telepon": "",
        "aktif": True,
    },
)

# A bank's list of EDC terminals and where each stands; the bank-file import finds purchases' outlets by it.
TERMINAL = Kind(
    name="terminal",
    label="terminal EDC",
    model=TerminalEdc,
    checker=TerminalChecker,
    key="kunci",
    key_label="Terminal",
    name_field="terminal",
    columns=(
        Column(
            "kunci",
            "Terminal",
            ("tid", "terminal id", "id terminal", "terminal edc", "no terminal", "nomor terminal"),
            True,
            fills=("kunci", "terminal"),
        ),
        Column("bank_id", "Bank", ("kode bank", "nama bank"), True),
        Column(
            "outlet",
            "Kode Outlet",
            ("kode e-warong", "kode ewarong", "kode agen", "outlet", "kode merchant", "merchant code"),
            True,
            fills=("ewarong_id", "agen_id"),
        ),
        Column("berlaku_dari", "Berlaku Dari", ("mulai", "tanggal pasang", "tgl pasang", "tanggal mulai")),
        Column("berlaku_sampai", "Berlaku Sampai", ("sampai", "tanggal cabut", "tgl cabut", "tanggal akhir")),
        Column("keterangan", "Keterangan", ("catatan",)),
    ),
    fields=("kunci", "terminal", "bank_id", "ewarong_id", "agen_id", "berlaku_dari", "berlaku_sampai", "keterangan"),
    always_updated=("terminal", "berlaku_dari"),
    defaults={"berlaku_sampai": None, "keterangan": ""},
)

KINDS = {kind.name: kind for kind in (KPM, EWARONG, AGEN, PENYEDIA, TERMINAL)}

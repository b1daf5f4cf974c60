"""What each registry file holds: its columns, the spellings people give them, and the model fields they fill."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

HEADER_SEARCH_ROWS = 30


def header_key(text):
    """ "NO. KK" -> "nokk", "Desa/Kelurahan" -> "desakelurahan": one spelling for every variant."""
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


@dataclass(frozen=True)
class Column:
    name: str  # key in a checked row: a model attname or a helper such as "kecamatan"
    header: str  # the Indonesian header exports write and messages use
    aliases: tuple = ()
    required: bool = False  # the column must be in the file

    @property
    def keys(self):
        return {header_key(self.header), *(header_key(a) for a in self.aliases)}


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    model_label: str
    key: str  # the natural key the file is matched on
    columns: tuple
    fields: tuple  # model attnames an import writes, in table order
    defaults: dict = field(default_factory=dict)  # for new rows when the file has no such column
    always_updated: tuple = ()  # attnames computed for every row (jenis_kelamin from the NIK)

    @property
    def model(self):
        from django.apps import apps

        return apps.get_model(self.model_label)

    def column(self, name):
        return next(c for c in self.columns if c.name == name)


KELURAHAN_COLUMNS = (
    Column("kode_kelurahan", "Kode Kelurahan", ("kode kel", "kode desa", "kode desa/kelurahan", "kode wilayah")),
    Column("kelurahan", "Kelurahan", ("kel", "kel.", "desa", "desa/kelurahan", "kelurahan/desa", "nama kelurahan")),
    Column("kecamatan", "Kecamatan", ("kec", "kec.", "nama kecamatan", "kode kecamatan")),
)
STATUS = ("status", "status kpm", "keterangan status")

KPM = Kind(
    name="kpm",
    label="KPM",
    model_label="penyaluran.Kpm",
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
        Column("status", "Status", STATUS[1:]),
        Column("sumber_data", "Sumber Data", ("sumber",)),
        Column("tahun_data", "Tahun Data", ("tahun",)),
    ),
    fields=(
        "nik",
        "no_kk",
        "nama",
        "jenis_kelamin",
        "tanggal_lahir",
        "alamat",
        "rt",
        "rw",
        "kelurahan_id",
        "nomor_kks",
        "bank_id",
        "ewarong_id",
        "status",
        "sumber_data",
        "tahun_data",
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
)

EWARONG = Kind(
    name="ewarong",
    label="e-warong",
    model_label="penyaluran.EWarong",
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
        Column("status", "Status", STATUS[1:]),
    ),
    fields=(
        "kode",
        "nama",
        "pemilik",
        "alamat",
        "kelurahan_id",
        "bank_id",
        "agen_id",
        "penyedia_id",
        "latitude",
        "longitude",
        "kapasitas_kpm",
        "status",
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

AGEN = Kind(
    name="agen",
    label="agen",
    model_label="penyaluran.Agen",
    key="kode",
    columns=(
        Column("kode", "Kode Agen", ("kode", "id agen", "kode agen bank"), True),
        Column("nama", "Nama Agen", ("nama", "nama usaha"), True),
        Column("pemilik", "Pemilik", ("nama pemilik",)),
        Column("bank_id", "Bank", ("kode bank", "nama bank"), True),
        Column("alamat", "Alamat", ("alamat agen", "alamat lengkap")),
        *KELURAHAN_COLUMNS,
        Column("telepon", "Telepon", ("no telepon", "no. hp", "no hp", "hp", "telp")),
        Column("status", "Status", STATUS[1:]),
    ),
    fields=("kode", "nama", "pemilik", "bank_id", "alamat", "kelurahan_id", "telepon", "status"),
    defaults={"pemilik": "", "alamat": "", "kelurahan_id": None, "telepon": "", "status": "aktif"},
)

PENYEDIA = Kind(
    name="penyedia",
    label="penyedia",
    model_label="penyaluran.Penyedia",
    key="kode",
    columns=(
        Column("kode", "Kode Penyedia", ("kode", "id penyedia", "kode supplier"), True),
        Column("nama", "Nama Perusahaan", ("nama", "nama penyedia", "nama supplier"), True),
        Column("penanggung_jawab", "Penanggung Jawab", ("pj", "direktur", "nama penanggung jawab")),
        Column("npwp", "NPWP", ("no npwp", "nomor npwp")),
        Column("alamat", "Alamat", ("alamat kantor", "alamat lengkap")),
        *KELURAHAN_COLUMNS,
        Column("telepon", "Telepon", ("no telepon", "no. hp", "no hp", "hp", "telp")),
        Column("aktif", "Aktif", ("status", "status aktif")),
    ),
    fields=("kode", "nama", "penanggung_jawab", "npwp", "alamat", "kelurahan_id", "telepon", "aktif"),
    defaults={
        "penanggung_jawab": "",
        "npwp": "",
        "alamat": "",
        "kelurahan_id": None,
        "telepon": "",
        "aktif": True,
    },
)

KINDS = {kind.name: kind for kind in (KPM, EWARONG, AGEN, PENYEDIA)}


@dataclass
class HeaderMap:
    row: int  # Excel row number of the header
    index: dict  # column name -> cell index
    headers: dict  # column name -> header as written in the file
    extra: list  # headers in the file that the import ignores
    cells: list  # the header row as read, for the rejected-rows file


def find_header(kind, rows):
    """Consume `rows` up to the header row (title rows above it are skipped) and map its columns."""
    lookup = {}
    for column in kind.columns:
        for key in column.keys:
            lookup.setdefault(key, column)
    key_column = kind.column(kind.key)
    for row_number, cells in rows:
        if row_number > HEADER_SEARCH_ROWS:
            break
        keys = [header_key(cell) for cell in cells]
        if not any(lookup.get(key) is key_column for key in keys):
            continue
        index, headers, extra = {}, {}, []
        for position, (key, cell) in enumerate(zip(keys, cells, strict=True)):
            column = lookup.get(key)
            text = " ".join(str(cell).split())
            if column is None or column.name in index:
                if text:
                    extra.append(text)
                continue
            index[column.name] = position
            headers[column.name] = text
        missing = [c.header for c in kind.columns if c.required and c.name not in index]
        if missing:
            raise ValidationError(
                f"Baris judul kolom (baris {row_number}) tidak memuat kolom wajib: {', '.join(missing)}."
            )
        return HeaderMap(row_number, index, headers, extra, list(cells))
    raise ValidationError(
        f"Baris judul kolom tidak ditemukan di {HEADER_SEARCH_ROWS} baris pertama: harus ada kolom {key_column.header}."
    )

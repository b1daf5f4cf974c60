"""Names of people, shops and streets, phone numbers and addresses, in the shapes they have in Jakarta."""


def _words(text, sep=None):
    """A word list written as one string, so a hundred names fit in a few lines."""
    return tuple(text.split(sep))


MALE_GIVEN = _words(
    "Abdul Ade Agus Ahmad Andi Arif Asep Bambang Budi Cecep Dadang Dedi Deni Dimas Dodi Eko Endang Fajar "
    "Firman Hadi Haris Hendra Heri Imam Irfan Ismail Iwan Jajang Joko Lukman Mamat Muhammad Mukhtar Nanang "
    "Rahmat Ridwan Rizki Rohmat Rudi Saiful Samsul Teguh Ujang Usman Wahyu Yusuf Zainal"
)
MALE_SECOND = _words(
    "Effendi Fauzi Firmansyah Gunawan Hakim Hasan Hermawan Hidayat Hidayatullah Kurniawan Kusnadi Maulana "
    "Nugroho Permana Prasetyo Pratama Rahman Ramadhan Rosadi Santoso Saputra Setiawan Sobirin Sudrajat "
    "Suherman Susanto Sutisna Syahputra Wibowo Wijaya"
)
MALE_SINGLE = _words(
    "Darto Jaelani Junaedi Marzuki Mulyadi Rojali Sabeni Sanusi Slamet Sugeng Sukardi Sumarno Suparman "
    "Supriyadi Suryadi Tono Udin Yanto"
)
FEMALE_GIVEN = _words(
    "Aisyah Ani Ayu Cucu Dewi Dian Endah Entin Eti Euis Fatimah Fitri Halimah Ika Imas Indah Iis Lilis Lina "
    "Maryam Mimin Neneng Nining Novi Nur Ratih Ratna Rina Rini Sari Siti Sri Tuti Wulan Yanti Yati Yuyun"
)
FEMALE_SECOND = _words(
    "Aminah Anggraini Fitriani Handayani Hasanah Herlina Komariah Kurniasih Kusumawati Lestari Marlina "
    "Maryati Mulyani Ningsih Nurjanah Oktaviani Permatasari Purnamasari Puspitasari Rahmawati Rohmah "
    "Rukmini Safitri Setiawati Sholihah Suryani Susanti Wahyuni Wulandari Yuliani"
)
FEMALE_SINGLE = _words(
    "Juleha Kartini Mumun Murni Nurhayati Painem Partini Romlah Saodah Sukaesih Sulastri Sumiati Suminah "
    "Sutinah Tukinem Zubaedah"
)
FAMILY_NAMES = _words(
    "Damanik Harahap Hutagalung Hutapea Latuconsina Lubis Lumenta Manullang Manurung Nainggolan Nasution "
    "Panjaitan Pardede Pasaribu Rumengan Saragih Sihombing Simanjuntak Simatupang Sinaga Siregar Sitompul "
    "Situmorang Tambunan Tampubolon Tanjung Halim Kusuma"
)
STREETS = _words(
    "Kebon Sirih|Kramat Sentiong|Swadaya|Haji Ung|Kemuning|Kenari|Manggis|Rambutan|Delima|Jambu|Duku|"
    "Belimbing|Sawo|Pisang Batu|Bambu Kuning|Masjid Al-Ikhlas|Mushola|Kampung Melayu Kecil|Pedongkelan|"
    "Kebon Kacang|Kali Baru|Rawa Bebek|Warakas|Sungai Bambu|Tanah Merah|Kampung Bali|Anggrek|Cempaka|"
    "Kenanga|Dahlia|Flamboyan|Teratai|Seroja|Asem|Waru|Beringin|Mangga|Nangka|Salak|Kelapa|Pinang|"
    "Haji Naman|Haji Saidi|Haji Murtado|Pendidikan|Pemuda|Karya|Bakti|Persatuan|Perintis|Lontar|Inpres|"
    "Bina Marga|Pengairan|Sumur Batu|Pulo Raya|Rawa Sari|Balai Rakyat|Gotong Royong",
    sep="|",
)
FLOWERS = _words("Melati Mawar Anggrek Kenanga Cempaka Dahlia Flamboyan Teratai Seroja Kamboja Bougenville Tulip")
VIRTUES = _words("Berkah Barokah Sejahtera Makmur Mandiri Sentosa Harapan Bersama Amanah Cahaya Mekar Maju Rezeki")
VIRTUES_2 = _words("Jaya Abadi Lestari Utama Sejati Mulia Indah Sehati")
COMPANY_FIRST = _words("Sumber Bina Mitra Cahaya Sinar Karya Anugerah Prima Mulia Putra")
COMPANY_TRADE = _words("Pangan Tani Agro Sembako Beras Niaga Boga Pangan Sehat")
COMPANY_LAST = _words("Jaya Nusantara Mandiri Sejahtera Abadi Utama Makmur Lestari Sentosa Perkasa")
COOPERATIVE = ("Koperasi Konsumen", "Koperasi Serba Usaha", "Koperasi Produsen", "Koperasi Jasa")
MOBILE_PREFIXES = _words("0812 0813 0815 0821 0822 0838 0852 0856 0857 0877 0878 0895 0896")


def person_name(rng, female):
    """A common Indonesian name: Betawi, Javanese, Sundanese, Batak, ... in the usual shapes."""
    given, second, single = (
        (FEMALE_GIVEN, FEMALE_SECOND, FEMALE_SINGLE) if female else (MALE_GIVEN, MALE_SECOND, MALE_SINGLE)
    )
    shape = rng.random()
    if shape < 0.22:
        return rng.choice(single)
    if shape < 0.82:
        return f"{rng.choice(given)} {rng.choice(second)}"
    if shape < 0.92:
        first, middle = rng.sample(given, 2)
        return f"{first} {middle} {rng.choice(second)}"
    return f"{rng.choice(given)} {rng.choice(FAMILY_NAMES)}"


def phone_number(rng):
    return f"{rng.choice(MOBILE_PREFIXES)}-{rng.randint(1000, 9999)}-{rng.randint(100, 9999):04d}"


def street_address(rng, streets):
    """Like "Jl. Kebon Sirih Gg. 3 No. 12"."""
    street = rng.choice(streets)
    number = rng.randint(1, 120)
    if rng.random() < 0.55:
        return f"Jl. {street} Gg. {rng.randint(1, 12)} No. {number}"
    return f"Jl. {street} No. {number}"


def outlet_address(rng, streets):
    return f"{street_address(rng, streets)}, RT {rng.randint(1, 12):03d}/RW {rng.randint(1, 12):03d}"


def outlet_name(rng, taken):
    """(name, owner), a name not used yet if twenty tries find one, else numbered like "KUBE Melati 2"."""
    for _attempt in range(20):
        name, owner = _outlet_name_once(rng)
        if not taken[name]:
            break
    taken[name] += 1
    return (name if taken[name] == 1 else f"{name} {taken[name]}"), owner


def _outlet_name_once(rng):
    female = rng.random() < 0.7
    owner = person_name(rng, female)
    roll = rng.random()
    if roll < 0.35:
        name = f"e-Warong KUBE {rng.choice(FLOWERS)}"
    elif roll < 0.45:
        name = f"e-Warong KUBE PKH {rng.choice(VIRTUES)}"
    elif roll < 0.75:
        name = f"Warung {'Bu' if female else 'Pak'} {owner.split()[0]}"
    elif roll < 0.9:
        name = f"Toko Sembako {rng.choice(VIRTUES)} {rng.choice(VIRTUES_2)}"
    else:
        name = f"RPK {rng.choice(VIRTUES)} {rng.choice(VIRTUES_2)}"
    return name, owner

"""The users of the load test, for locust (`bench/load_run.py` starts the site and runs them; read it first).

- Pendamping: open the assignment's form, send a visit as the phone does (JSON, a new uuid each time), then its
  photo (a 60 KB JPEG, multipart), and look at their list of visits.
- Anggota and Tikor kota: open the dashboard, the map with its kecamatan boundaries, the scorecards.
- Sekretariat: upload a registry file for a preview (a background import) and ask for a report (a background
  job), then watch both pages as the browser polls them.
- Dasar (the floor, one user): /sehat/ and a static file, the least the server can answer.

Everything they need (logins, assignment ids, a visit's answers, the import file, the report's month) is in the
JSON file LOAD_CONFIG names, written by the driver from the seeded database. Request types are named so that the
driver's table has one line per kind of request, whatever the ids in the URL.
"""

import io
import json
import os
import random
import uuid

from locust import HttpUser, between, task

CONFIG = json.loads(open(os.environ["LOAD_CONFIG"]).read()) if os.environ.get("LOAD_CONFIG") else {}  # noqa: SIM115


def photo():
    """A JPEG of about 60 KB, made once: noise compresses badly, as a phone's photo does."""
    from PIL import Image

    image = Image.frombytes("RGB", (320, 240), random.Random(17).randbytes(320 * 240 * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


PHOTO = photo() if CONFIG else b""


class Site(HttpUser):
    abstract = True
    username = None

    def on_start(self):
        self.client.get("/akun/masuk/", name="GET masuk")
        with self.client.post(
            "/akun/masuk/",
            {"username": self.username, "password": CONFIG["password"], "csrfmiddlewaretoken": self.csrf},
            name="POST masuk",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{self.username} tidak dapat masuk: {response.status_code}")

    @property
    def csrf(self):
        return self.client.cookies.get("csrftoken", "")


class Pendamping(Site):
    weight = 50
    wait_time = between(3, 10)

    def on_start(self):
        self.username, self.penugasan = random.choice(CONFIG["pendamping"])
        super().on_start()

    @task
    def send_a_visit(self):
        self.client.get(f"/monev/penugasan/{self.penugasan}/isi/", name="GET formulir kunjungan")
        visit = {
            "uuid": str(uuid.uuid4()),
            "tanggal": CONFIG["tanggal"],
            "lokasi": CONFIG["lokasi"],
            "jawaban": CONFIG["jawaban"],
            "keterangan": {},
            "catatan": "Uji beban",
        }
        with self.client.post(
            f"/monev/penugasan/{self.penugasan}/kirim/",
            data=json.dumps(visit),
            headers={"Content-Type": "application/json", "X-CSRFToken": self.csrf},
            name="POST kunjungan (JSON)",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:300]}")
                return
        self.client.post(
            f"/monev/kunjungan/{visit['uuid']}/foto/",
            data={"uuid": str(uuid.uuid4()), "pertanyaan": CONFIG["pertanyaan_foto"]},
            files={"berkas": ("foto.jpg", PHOTO, "image/jpeg")},
            headers={"X-CSRFToken": self.csrf},
            name="POST foto kunjungan",
        )
        self.client.get("/monev/kunjungan/", name="GET daftar kunjungan")


class Anggota(Site):
    weight = 45
    wait_time = between(3, 10)

    def on_start(self):
        self.username = random.choice(CONFIG["anggota"])
        super().on_start()

    @task(3)
    def dashboard(self):
        self.client.get("/", name="GET dasbor")

    @task(2)
    def map(self):
        self.client.get("/peta/", name="GET peta")
        self.client.get("/peta/batas/kecamatan.geojson", name="GET batas kecamatan (geojson)")

    @task(1)
    def scorecards(self):
        self.client.get("/monev/skor/", name="GET skor")


class Sekretariat(Site):
    weight = 4
    wait_time = between(20, 60)
    username = "sekretariat"

    @task
    def import_a_file(self):
        response = self.client.post(
            "/penyaluran/impor/",
            data={"jenis": "kpm", "csrfmiddlewaretoken": self.csrf},
            files={"berkas": ("kpm-gambir.csv", CONFIG["impor"].encode(), "text/csv")},
            name="POST impor (pratinjau)",
            allow_redirects=False,
        )
        if response.status_code == 302:
            job = response.headers["Location"]
            self.client.get(job, name="GET impor detail")
            self.client.get(f"{job}progres/", headers={"HX-Request": "true"}, name="GET impor progres (htmx)")

    @task
    def ask_for_a_report(self):
        response = self.client.post(
            "/monev/laporan/",
            data={"jenis": "realisasi", "bulan": CONFIG["bulan"], "wilayah": CONFIG["wilayah"],
                  "csrfmiddlewaretoken": self.csrf},
            name="POST laporan",
            allow_redirects=False,
        )  # fmt: skip
        if response.status_code == 302:
            report = response.headers["Location"]
            self.client.get(report, name="GET laporan detail")
            self.client.get(report, headers={"HX-Request": "true"}, name="GET laporan progres (htmx)")


class Dasar(HttpUser):
    """The floor: what the same server answers when it does next to nothing."""

    fixed_count = 1
    wait_time = between(1, 2)

    @task
    def floor(self):
        self.client.get("/sehat/", name="DASAR GET /sehat/")
        self.client.get(CONFIG["statis"], name="DASAR GET berkas statis")

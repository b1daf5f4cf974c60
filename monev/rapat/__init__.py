"""The Tikor's meetings (rapat) and decisions (keputusan): agenda proposed from the data, attendance, minutes,
decisions followed to done, and the berita acara PDF."""

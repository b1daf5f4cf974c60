// Photos from the phone camera: read the EXIF time from the original, then shrink it with a canvas
// so it travels over a weak signal (the server refuses anything above its size cap).

const MAX_SIDE = 1600;
const QUALITY = 0.8;

/** DateTimeOriginal of a JPEG as "YYYY-MM-DDTHH:MM:SS+07:00" (phones record local time), or null. */
export async function exifTakenAt(file) {
  const view = new DataView(await file.slice(0, 256 * 1024).arrayBuffer());
  if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) return null;
  let offset = 2;
  while (offset + 4 <= view.byteLength) {
    const marker = view.getUint16(offset);
    const size = view.getUint16(offset + 2);
    if (marker === 0xffe1 && view.getUint32(offset + 4) === 0x45786966) {
      return readTiff(view, offset + 10);
    }
    if ((marker & 0xff00) !== 0xff00 || marker === 0xffda) break;
    offset += 2 + size;
  }
  return null;
}

function readTiff(view, tiff) {
  const little = view.getUint16(tiff) === 0x4949;
  const u16 = (at) => view.getUint16(at, little);
  const u32 = (at) => view.getUint32(at, little);
  const findTag = (ifd, tag) => {
    const count = u16(ifd);
    for (let i = 0; i < count; i += 1) {
      const entry = ifd + 2 + i * 12;
      if (u16(entry) === tag) return entry;
    }
    return null;
  };
  const ifd0 = tiff + u32(tiff + 4);
  const exifPointer = findTag(ifd0, 0x8769);
  const exifIfd = exifPointer ? tiff + u32(exifPointer + 8) : null;
  const entry = (exifIfd && findTag(exifIfd, 0x9003)) || findTag(ifd0, 0x0132);
  if (!entry) return null;
  const start = tiff + u32(entry + 8);
  let text = "";
  for (let i = 0; i < 19; i += 1) text += String.fromCharCode(view.getUint8(start + i));
  const match = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  return match ? `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}+07:00` : null;
}

/** A JPEG no larger than MAX_SIDE on its longest side. */
export async function shrink(file) {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("Foto tidak dapat diproses."))), "image/jpeg", QUALITY);
  });
}

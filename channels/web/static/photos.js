// Thumbnails of the photos the user sent: made in the browser when a photo is attached (a small JPEG data URL,
// so no photo is fetched back from the server), kept by photo id so that a reloaded conversation shows them too.
import { el } from "./cards.js";
import { store } from "./storage.js";

const EDGE = 192;
const key = (photoId) => `partpilot:photo:${photoId}`;

// null when the browser cannot decode the file (HEIC in most browsers): the message then says it in words.
export async function thumbnail(file) {
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, EDGE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    return canvas.toDataURL("image/jpeg", 0.75);
  } catch (_) {
    return null;
  }
}

export function remember(photoId, url) {
  if (url) { store.set(key(photoId), url); }
}

// The sent photos as thumbnails; the ones without a thumbnail are counted in words.
export function sentPhotos(photoIds) {
  const urls = photoIds.map((id) => store.get(key(id))).filter(Boolean);
  const nodes = [];
  if (urls.length) {
    nodes.push(el("div", { class: "pp-thumbs" },
      ...urls.map((src, i) => el("img", { class: "pp-thumb", src, alt: `Photo ${i + 1} you sent` }))));
  }
  const rest = photoIds.length - urls.length;
  if (rest) { nodes.push(el("p", { class: "pp-muted", text: `${rest} photo${rest > 1 ? "s" : ""} attached` })); }
  return nodes;
}

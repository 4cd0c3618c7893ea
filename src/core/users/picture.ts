import { validationError } from '../errors.js';
import type { Picture } from '../types.js';

export const PICTURE_MAX_BYTES = 2 * 1024 * 1024;

// Recognised by content, never by a name or a declared type: a file is what its first bytes say.
const SIGNATURES: Array<{ type: string; test: (b: Buffer) => boolean }> = [
  {
    type: 'image/png',
    test: (b) => b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  { type: 'image/jpeg', test: (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/gif', test: (b) => b.length > 6 && /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1')) },
  {
    type: 'image/webp',
    test: (b) =>
      b.length > 12 &&
      b.subarray(0, 4).toString('latin1') === 'RIFF' &&
      b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
];

/** The patterns a picture is parsed with (flat repetitions only: linear time; see user.rules.ts). */
export const PICTURE_PATTERNS = {
  base64: /^[A-Za-z0-9+/]*={0,2}$/,
  dataUrl: /^data:image\/[a-z0-9.+-]+;base64,/i,
  whitespace: /\s+/g,
} as const;
const { base64: BASE64, dataUrl: DATA_URL } = PICTURE_PATTERNS;

/**
 * A base64 image (optionally a data: URL) checked by its magic bytes: PNG,
 * JPEG, WebP or GIF, at most 2 MB decoded. Anything else is a validation error
 * on `field`.
 */
export function decodePicture(input: string, field = 'image'): Picture {
  const body = input.replace(DATA_URL, '').replace(PICTURE_PATTERNS.whitespace, '');
  if (body.length === 0 || body.length % 4 !== 0 || !BASE64.test(body)) {
    throw validationError({ [field]: 'Image must be base64-encoded PNG, JPEG, WebP or GIF data' });
  }
  if ((body.length / 4) * 3 > PICTURE_MAX_BYTES + 2) {
    throw validationError({ [field]: 'Image must be at most 2 MB' });
  }
  const data = Buffer.from(body, 'base64');
  if (data.length > PICTURE_MAX_BYTES) throw validationError({ [field]: 'Image must be at most 2 MB' });
  const kind = SIGNATURES.find((s) => s.test(data));
  if (!kind) throw validationError({ [field]: 'Image must be a PNG, JPEG, WebP or GIF file' });
  return { contentType: kind.type, data };
}

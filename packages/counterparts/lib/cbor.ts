/**
 * A minimal CBOR decoder (RFC 8949), enough for WebAuthn: attestation objects and COSE keys.
 *
 * Supported: unsigned and negative integers (as numbers; values beyond 2^53 are refused), byte
 * strings, text strings, arrays, maps (returned as `Map`, keys kept as decoded, so COSE's integer
 * labels stay integers), tags (the tagged value is returned), and the simple values false, true,
 * null, undefined. Refused: indefinite lengths and floats, which WebAuthn's CTAP2 canonical
 * encoding never uses, and nesting deeper than 16 (bounds work on hostile input).
 */
export type CborValue = number | Uint8Array | string | boolean | null | undefined | CborValue[] | Map<CborValue, CborValue>;

export class CborError extends Error {
  override readonly name = "CborError";
}

const MAX_DEPTH = 16;

/** Decodes exactly one item that must span all of `bytes`. */
export function decodeCbor(bytes: Uint8Array): CborValue {
  const { value, end } = decodeCborPrefix(bytes);
  if (end !== bytes.length) throw new CborError("Trailing bytes after the CBOR item");
  return value;
}

/** Decodes one item at the start of `bytes`; `end` is where it stops (authenticator data embeds a COSE key). */
export function decodeCborPrefix(bytes: Uint8Array, offset = 0): { value: CborValue; end: number } {
  const reader = { bytes, offset };
  const value = readItem(reader, 0);
  return { value, end: reader.offset };
}

interface Reader {
  bytes: Uint8Array;
  offset: number;
}

function take(r: Reader, n: number): Uint8Array {
  if (n < 0 || r.offset + n > r.bytes.length) throw new CborError("CBOR item runs past the end of the input");
  const slice = r.bytes.subarray(r.offset, r.offset + n);
  r.offset += n;
  return slice;
}

function readArgument(r: Reader, info: number): number {
  if (info < 24) return info;
  const width = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
  if (width === 0)
    throw new CborError(info === 31 ? "Indefinite-length CBOR items are not supported" : "Reserved CBOR additional information");
  let value = 0n;
  for (const byte of take(r, width)) value = (value << 8n) | BigInt(byte);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new CborError("CBOR integer too large");
  return Number(value);
}

function readItem(r: Reader, depth: number): CborValue {
  if (depth > MAX_DEPTH) throw new CborError("CBOR nesting too deep");
  const [initial] = take(r, 1);
  const major = initial! >> 5;
  const info = initial! & 0x1f;
  switch (major) {
    case 0:
      return readArgument(r, info);
    case 1:
      return -1 - readArgument(r, info);
    case 2:
      return Uint8Array.from(take(r, readArgument(r, info)));
    case 3: {
      const raw = take(r, readArgument(r, info));
      try {
        return new TextDecoder("utf-8", { fatal: true }).decode(raw);
      } catch {
        throw new CborError("CBOR text string is not UTF-8");
      }
    }
    case 4: {
      const length = readArgument(r, info);
      // Every item takes at least one byte: a length beyond the input is a lie, not an allocation.
      if (length > r.bytes.length - r.offset) throw new CborError("CBOR array longer than the input");
      return Array.from({ length }, () => readItem(r, depth + 1));
    }
    case 5: {
      const length = readArgument(r, info);
      if (length * 2 > r.bytes.length - r.offset) throw new CborError("CBOR map longer than the input");
      const map = new Map<CborValue, CborValue>();
      for (let i = 0; i < length; i++) {
        const key = readItem(r, depth + 1);
        if (map.has(key)) throw new CborError("Duplicate CBOR map key");
        map.set(key, readItem(r, depth + 1));
      }
      return map;
    }
    case 6:
      readArgument(r, info);
      return readItem(r, depth + 1);
    default:
      if (info === 20) return false;
      if (info === 21) return true;
      if (info === 22) return null;
      if (info === 23) return undefined;
      throw new CborError("CBOR floats and other simple values are not supported");
  }
}

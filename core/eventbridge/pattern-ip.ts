import { InvalidEventPatternError } from "./pattern-error";

/** An inclusive range of addresses, as fixed-width upper-case hex (8 digits for IPv4, 32 for IPv6). */
export interface IpRange {
  readonly low: string;
  readonly high: string;
}

// event-ruler only treats text shaped like these as an address; anything else is never parsed (or looked up).
const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** Bytes of an IPv4/IPv6 literal, or undefined when the text is not one. IPv4-mapped IPv6 yields 4 bytes, as in Java. */
function addressBytes(text: string): number[] | undefined {
  if (IPV4_SHAPE.test(text)) return ipv4Bytes(text);
  if (IPV6_SHAPE.test(text)) return ipv6Bytes(text);
  return undefined;
}

function ipv4Bytes(text: string): number[] | undefined {
  const bytes = text.split(".").map((part) => Number.parseInt(part, 10));
  return bytes.every((b) => b <= 255) ? bytes : undefined;
}

function ipv6Bytes(text: string): number[] | undefined {
  const gap = text.indexOf("::");
  if (gap !== -1 && text.indexOf("::", gap + 1) !== -1) return undefined;
  const groupsOf = (part: string): string[] | undefined => {
    if (part === "") return [];
    const groups = part.split(":");
    return groups.every((g) => IPV6_GROUP.test(g)) ? groups : undefined;
  };
  const head = groupsOf(gap === -1 ? text : text.slice(0, gap));
  const tail = groupsOf(gap === -1 ? "" : text.slice(gap + 2));
  if (!head || !tail) return undefined;
  const given = head.length + tail.length;
  // "::" must stand for at least one zero group.
  if (gap === -1 ? given !== 8 : given > 7) return undefined;
  const groups = [...head, ...Array<string>(8 - given).fill("0"), ...tail];
  const bytes = groups.flatMap((g) => {
    const n = Number.parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? bytes.slice(12) : bytes;
}

function toHex(bytes: readonly number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, "0")).join("").toUpperCase();
}

/** The hex form of an address literal, or undefined when the text is not an address. */
export function ipToHex(text: string): string | undefined {
  const bytes = addressBytes(text);
  return bytes ? toHex(bytes) : undefined;
}

/** A one-address range for a plain pattern string that is an IP literal, else undefined (then it is an exact string). */
export function ipExactRange(text: string): IpRange | undefined {
  const hex = ipToHex(text);
  return hex === undefined ? undefined : { low: hex, high: hex };
}

/** Parses a `cidr` pattern value; throws InvalidEventPatternError with AWS's reasons for malformed ones. */
export function cidrRange(cidr: string): IpRange {
  const parts = cidr.split("/");
  // Java's String.split drops trailing empty strings, so "10.0.0.0/" has one part.
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  if (parts.length !== 2) throw new InvalidEventPatternError("Malformed CIDR, one '/' required");
  const [address, maskText] = parts as [string, string];
  if (!/^[+-]?\d{1,10}$/.test(maskText)) {
    throw new InvalidEventPatternError("Malformed CIDR, mask bits must be an integer");
  }
  const maskBits = Number.parseInt(maskText, 10);
  if (maskBits < 0) throw new InvalidEventPatternError("Malformed CIDR, mask bits must not be negative");
  if (!IPV4_SHAPE.test(address) && !IPV6_SHAPE.test(address)) {
    throw new InvalidEventPatternError(`Nonstandard IP address: ${address}`);
  }
  const bytes = addressBytes(address);
  if (!bytes) throw new InvalidEventPatternError(`Invalid IP address: ${address}`);
  const width = bytes.length * 8;
  if (maskBits > width) {
    throw new InvalidEventPatternError(`${bytes.length === 4 ? "IPv4" : "IPv6"} mask bits must be <= ${width}`);
  }
  const low: number[] = [];
  const high: number[] = [];
  bytes.forEach((byte, i) => {
    const bitsHere = Math.min(8, Math.max(0, maskBits - i * 8));
    const mask = (0xff << (8 - bitsHere)) & 0xff;
    low.push(byte & mask);
    high.push((byte & mask) | (~mask & 0xff));
  });
  return { low: toHex(low), high: toHex(high) };
}

/** True when `hex` (an address in hex form) lies in the range; v4 and v6 ranges never match each other. */
export function inIpRange(range: IpRange, hex: string): boolean {
  return hex.length === range.low.length && hex >= range.low && hex <= range.high;
}

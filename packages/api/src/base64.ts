// Standard base64 with padding, as Go's base64.StdEncoding.DecodeString accepts it (KubeVirt's check
// of userDataBase64 / networkDataBase64); Buffer.from(s, 'base64') alone accepts anything.
const STD_BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function isStdBase64(value: string): boolean {
  return STD_BASE64_RE.test(value);
}

import { canonicalBytes, canonicalJson, NotCanonicalisable } from './canonical';

describe('canonical JSON (RFC 8785)', () => {
  it('sorts object members by key at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('orders keys by UTF-16 code units, not by locale', () => {
    // U+00E9 (é) sorts after every ASCII letter; U+1F600 is a surrogate pair starting 0xD83D, before U+FB01.
    expect(canonicalJson({ é: 1, z: 2, Z: 3, '\u{1F600}': 4, '\uFB01': 5 })).toBe('{"Z":3,"z":2,"é":1,"\u{1F600}":4,"\uFB01":5}');
  });

  it('writes numbers as ECMAScript does, which is what RFC 8785 prescribes', () => {
    expect(canonicalJson([1.0, -0, 1e21, 0.000001, 1e-7, 123456789012345680000])).toBe('[1,0,1e+21,0.000001,1e-7,123456789012345680000]');
  });

  it('escapes strings as JSON.stringify does (control characters, quotes, lone surrogates)', () => {
    expect(canonicalJson({ s: 'a"b\\c\n\u0001\uD800' })).toBe('{"s":"a\\"b\\\\c\\n\\u0001\\ud800"}');
  });

  it('leaves out members whose value is undefined, and writes undefined in arrays as null', () => {
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
  });

  it('refuses what JSON cannot carry instead of guessing', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(NotCanonicalisable);
    expect(() => canonicalJson({ n: Infinity })).toThrow('$.n');
    expect(() => canonicalJson({ a: [1, { b: [null, () => 1] }] })).toThrow('Cannot write $.a[1].b[1] as canonical JSON: a function is not JSON');
    expect(() => canonicalJson([Number.NaN], '$.data')).toThrow('$.data[0]');
    expect(() => canonicalJson({ big: 1n })).toThrow(NotCanonicalisable);
    expect(() => canonicalJson({ when: new Date(0) })).toThrow('a Date object is not JSON');
  });

  it('gives the same bytes for the same event whatever order its fields were built in', () => {
    const metadata = { recordedAt: '2024-01-01T00:00:00Z', recordedBy: { userId: 'u', role: 'r', organisationId: 'o' }, commandId: 'c', correlationId: 'c', schemaVersion: 1 };
    const one = { id: 'e', streamId: 's', revision: 2n, position: 40n, type: 'T', data: { x: 1, y: 'é' }, metadata };
    const two = { metadata: { ...metadata }, data: { y: 'é', x: 1 }, type: 'T', position: 40n, revision: 2n, streamId: 's', id: 'e' };
    expect(canonicalBytes(one)).toEqual(canonicalBytes(two));
    expect(canonicalBytes(one).toString('utf8')).toBe(
      '{"data":{"x":1,"y":"é"},"id":"e","metadata":{"commandId":"c","correlationId":"c","recordedAt":"2024-01-01T00:00:00Z","recordedBy":{"organisationId":"o","role":"r","userId":"u"},"schemaVersion":1},"position":"40","revision":"2","streamId":"s","type":"T"}',
    );
    expect(canonicalBytes(one).includes(Buffer.from('é', 'utf8'))).toBe(true);
  });
});

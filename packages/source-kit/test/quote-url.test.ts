import { describe, expect, it } from 'vitest';
import { quoteUrl } from '../src/download/quote-url.js';

// Expected values printed by Python 3.11:
//   p = urllib.parse.urlparse(url); p._replace(path=urllib.parse.quote(p.path)).geturl()
describe('quoteUrl (osbuild\'s path percent-encoding)', () => {
  it.each([
    ['http://h/a b/c%20d;p=1?q=1 2#f g', 'http://h/a%20b/c%2520d;p=1?q=1 2#f g'],
    ['https://H:1/ü/x', 'https://H:1/%C3%BC/x'],
    ['file:///srv/a b;c', 'file:///srv/a%20b%3Bc'],
    ['HTTP://h', 'http://h'],
    ['http://h/a/b;x/c;y?', 'http://h/a/b%3Bx/c;y'],
    ['http://h/~a_b-c.d+e&f=g', 'http://h/~a_b-c.d%2Be%26f%3Dg'],
    ['http://127.0.0.1:8000/Packages/g/glibc-2.38-1.fc39.x86_64.rpm', 'http://127.0.0.1:8000/Packages/g/glibc-2.38-1.fc39.x86_64.rpm'],
    ['http://127.0.0.1/libstdc++-13.rpm', 'http://127.0.0.1/libstdc%2B%2B-13.rpm'],
  ])('%s → %s', (url, quoted) => {
    expect(quoteUrl(url)).toBe(quoted);
  });
});

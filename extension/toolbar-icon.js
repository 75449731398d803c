// @ts-check
// The toolbar icon for the browser's colour scheme. Chrome's manifest cannot declare a dark variant
// on the stable channel (`icon_variants` warns there: canary only), and the service worker has no
// matchMedia, so the extension's own pages (options, side panel) set it when they open and when the
// scheme changes. Both sets are a filled badge that reads on either toolbar; the dark set is lighter.

const SIZES = [16, 32, 48, 128];

/** @param {'light'|'dark'} scheme @returns {Record<string, string>} */
export function iconPaths(scheme) {
  return Object.fromEntries(SIZES.map((n) => [String(n), `/icons/${scheme}/${n}.png`]));
}

/** Set the toolbar icon now and whenever the colour scheme changes. */
export function followColorScheme() {
  if (typeof matchMedia !== 'function' || !chrome.action?.setIcon) return;
  const mq = matchMedia('(prefers-color-scheme: dark)');
  const apply = () => chrome.action.setIcon({ path: iconPaths(mq.matches ? 'dark' : 'light') }).catch(() => {});
  apply();
  mq.addEventListener('change', apply);
}

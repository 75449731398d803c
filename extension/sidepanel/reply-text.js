// @ts-check
// A canned reply's text before the companion has filled it: {name} shows the typed value or
// [Label], {link:ID} the referral's URL. Only for showing: the text that is inserted or copied is
// the companion's render (POST /v1/replies/render, engine/replies.py), which also checks it. The
// companion has no call that fills without checking, or fills a reply whose required values are
// still empty, so the list's snippets and the preview while typing use this.
const PLACEHOLDER = /\{([^{}]*)\}/g;

/**
 * @param {import('./state.js').Reply} reply
 * @param {Record<string, string>} values  typed so far ({} in the list)
 * @param {{id: string, url: string}[]} referrals  the pack's
 */
export function previewText(reply, values, referrals) {
  const urls = Object.fromEntries(referrals.map((x) => [x.id, x.url]));
  return reply.text.replace(PLACEHOLDER, (m, name) => {
    if (name.startsWith('link:')) return urls[name.slice(5)] ?? m;
    const p = reply.placeholders.find((x) => x.name === name);
    return p ? values[name] || `[${p.label}]` : m;
  });
}

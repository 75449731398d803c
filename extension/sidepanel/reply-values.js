// @ts-check
// Values a canned reply's form starts with: the customer's name from the post being answered (the
// site's author line), and the champion's own name, remembered on this computer after they type it
// once (chrome.storage.local through the worker's setSettings; never sent anywhere).

/**
 * @typedef {{name: string, label: string, required: boolean, default: string, hint: string, max_length: number|null}} Placeholder
 * @typedef {{name: string|null, handle: string|null}} Author
 */

/** "Your first name", {agent_name}: the person answering. @param {Placeholder} p */
export function isOwnName(p) {
  return /^(agent|my|your|own|champion|signature)_?(first_?)?name$|^signature$/i.test(p.name) || /^your\b.*\bname\b/i.test(p.label);
}

/** The customer's name or handle. @param {Placeholder} p */
export function isCustomerName(p) {
  return /^(customer|author|recipient)_?(first_?)?name$/i.test(p.name) || /\b(customer|their|recipient)\b.*\bname\b/i.test(p.label);
}

/** The first word of a display name, when it looks like a person's name. @param {string|null} name */
export function firstName(name) {
  const first = (name ?? '').trim().split(/\s+/)[0] ?? '';
  return /^\p{Lu}[\p{L}'’-]{0,39}$/u.test(first) ? first : '';
}

/**
 * What a placeholder starts with ('' = nothing known).
 * @param {Placeholder} p
 * @param {{author: Author|null, agentName: string}} known
 */
export function startValue(p, known) {
  if (isOwnName(p)) return known.agentName.slice(0, p.max_length ?? 60);
  if (isCustomerName(p) && known.author) {
    const wantsFirst = /first/i.test(p.name) || /first/i.test(p.label);
    const handleOk = /handle/i.test(p.label);
    const value = wantsFirst || !known.author.name ? firstName(known.author.name) : known.author.name;
    const out = value || (handleOk && known.author.handle ? known.author.handle : '');
    return out.slice(0, p.max_length ?? 80);
  }
  return p.default || '';
}

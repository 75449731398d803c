// @ts-check
// The words the extension shares with the companion, in one place: platforms and their names,
// surfaces, severities, finding categories and their labels, the companion's size limits, its port
// and the hello proof's context. tests/test_vocabulary.py reads this module (through node) and the
// companion's constants and fails when they disagree.

export const PLATFORMS = Object.freeze(['x', 'facebook', 'linkedin', 'instagram']);

/** How people write each platform's name. */
export const PLATFORM_LABEL = Object.freeze({ x: 'X', facebook: 'Facebook', linkedin: 'LinkedIn', instagram: 'Instagram' });

export const SURFACES = Object.freeze(['post', 'reply', 'comment', 'message', 'caption']);

/** What a box is, in words (the side panel: "Reply to Sam on X"). */
export const SURFACE_LABEL = Object.freeze({ post: 'New post', reply: 'Reply', comment: 'Comment', caption: 'Caption', message: 'Message' });

/** Least to most severe. */
export const SEVERITIES = Object.freeze(['info', 'warning', 'critical']);

/** Finding categories and how the card and the side panel name them. */
export const CATEGORY_LABEL = Object.freeze({
  confidential: 'Confidential',
  safety: 'Personal safety',
  speaking_for_company: 'Speaking for the company',
  disclosure: 'Disclosure',
  escalation: 'Escalate instead',
  personal_data: 'Customer data',
  tone: 'Tone',
  platform_limit: 'Platform limit',
});

/**
 * What the companion accepts (companion/api/validation.py MAX_TEXT, api/routes.py CHECK_FIELDS), in
 * characters (code points). replyingTo: the extension sends at most this much of the post being
 * answered (the companion would take up to `text`).
 */
export const LIMITS = Object.freeze({ text: 70_000, replyingTo: 4000, account: 200 });

/** The companion's port unless the user or IT sets another (companion/config.py). */
export const DEFAULT_PORT = 7311;

/** The hello proof: HMAC-SHA256(token, HELLO_CONTEXT + "127.0.0.1:<port>:<nonce>") (companion/auth.py). */
export const HELLO_CONTEXT = 'postguard-hello-v2:';
/** Zero-touch pairing's proofs (companion/zerotouch.py): HMAC-SHA256(IT's pairingSecret, MANAGED_PAIR_CONTEXT + ":extension|companion:127.0.0.1:<port>:<challenge>:<nonce>[:<token>]"). */
export const MANAGED_PAIR_CONTEXT = 'postguard-managed-pair-v1';

/** @param {string} platform */
export function platformLabel(platform) {
  return /** @type {Record<string, string>} */ (PLATFORM_LABEL)[platform] ?? platform;
}

/** @param {string} category */
export function categoryLabel(category) {
  return /** @type {Record<string, string>} */ (CATEGORY_LABEL)[category] ?? null;
}

/** 1 info, 2 warning, 3 critical, 0 unknown. @param {string} severity */
export function severityRank(severity) {
  return SEVERITIES.indexOf(severity) + 1;
}

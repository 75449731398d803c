// @ts-check
// The card: one at a time, three views.
//   finding  (hover an underline, or Alt+Shift+Down in the box): message, why, how it matched,
//            suggestion buttons, Ignore, Pause on this site, referrals
//   summary  (click/Enter on the chip): status, all findings, referrals
//   confirm  (a post was stopped): a critical finding (fresh, or kept from an earlier check while the
//            companion is away) with Edit / Post anyway; or a draft PostGuard could not check at
//            all with Wait / Post anyway
// Suggestions that edit the text are buttons; advice (no replacement, no insert) is a tip, in text.
// Keyboard: focus moves into the card when it is opened from the keyboard; Tab stays inside;
// Escape closes it and returns focus to the editor; Left/Right step through findings.
import { h } from './layer.js';
import { CATEGORY_LABEL, howMatched, isActionable, referralsToShow } from '../../format.js';
import { placeCard } from './rects.js';

/** @typedef {import('../../protocol.js').Finding} Finding */
/** @typedef {import('../../protocol.js').Referral} Referral */

/**
 * What the card needs from a box (implemented by BoxController).
 * @typedef {{
 *   el: HTMLElement, siteName: string,
 *   shown: Finding[], referrals: Referral[], statusText: string, packText: string,
 *   insertionAllowed: boolean, unsafeNote: string, stale: boolean, staleNote: string,
 *   anchorRect: (f: Finding|null) => DOMRect|null,
 *   applySuggestion: (f: Finding, i: number) => void,
 *   insertReferral: (r: Referral) => void,
 *   ignore: (f: Finding) => void,
 *   pauseSite: () => void,
 *   openSidePanel: () => void,
 *   setActive: (f: Finding|null) => void,
 * }} CardBox
 */

/**
 * @param {import('./layer.js').Layer} layer
 * @param {() => void} [onChange] called when the card opens, changes or closes (re-render)
 */
export function createCard(layer, onChange = () => {}) {
  const el = h('div', { class: 'card', hidden: true, tabindex: '-1' });
  layer.cards.append(el);
  /** @type {{kind: 'finding'|'summary'|'confirm', box: CardBox, index?: number, anchor?: Element, items?: Finding[],
   *   onEdit?: () => void, onPost?: () => void, mode: 'hover'|'pinned', variant?: string}|null} */
  let view = null;

  // keep the editor focused when the card is clicked with the mouse
  el.addEventListener('mousedown', (e) => { if (/** @type {Element} */ (e.target).closest('button')) e.preventDefault(); });
  el.addEventListener('keydown', onKeydown);

  /** @param {KeyboardEvent} e */
  function onKeydown(e) {
    if (!view) return;
    e.stopPropagation(); // keys typed in the card are not the page's business
    if (e.key === 'Escape') {
      e.preventDefault();
      if (view.kind === 'confirm') view.onEdit?.(); else close(true);
    } else if (e.key === 'Tab') {
      const buttons = [...el.querySelectorAll('button')];
      if (!buttons.length) return;
      const i = buttons.indexOf(/** @type {HTMLButtonElement} */ (layer.shadow.activeElement));
      const next = e.shiftKey ? (i <= 0 ? buttons.length - 1 : i - 1) : (i + 1) % buttons.length;
      e.preventDefault();
      buttons[next].focus();
    } else if (view.kind === 'finding' && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) {
      e.preventDefault();
      step(e.key === 'ArrowRight' ? 1 : -1, true);
    }
  }

  /** @param {number} d @param {boolean} focus */
  function step(d, focus) {
    if (!view || view.kind !== 'finding') return;
    const n = view.box.shown.length;
    if (!n) return;
    showFinding(view.box, (((view.index ?? 0) + d) % n + n) % n, { focus, mode: 'pinned' });
  }

  /** @param {(Node|string|null)[]} children */
  const fill = (...children) => el.replaceChildren(.../** @type {(Node|string)[]} */ (children.filter((c) => c !== null)));

  /**
   * @param {string} label @param {string} action @param {() => void} fn @param {string} [cls]
   */
  const button = (label, action, fn, cls) => h('button', { type: 'button', class: cls, 'data-action': action, onclick: fn, text: label });

  /** @param {CardBox} box */
  function refsBlock(box) {
    const refs = referralsToShow(box.referrals, box.shown);
    if (!refs.length) return null;
    return h('div', { class: 'refs' }, [
      h('div', { class: 'why', text: 'Send the customer to:' }),
      ...refs.map((r, i) => h('div', { class: 'ref' }, [
        h('span', { class: 'title', text: r.title }), ` — ${r.reason} `,
        box.insertionAllowed ? button('Insert link', `ref:${i}`, () => box.insertReferral(r)) : h('span', { text: r.url }),
      ])),
    ]);
  }

  /** Findings kept from an earlier check while the companion is away. @param {CardBox} box */
  function staleBlock(box) {
    return box.stale ? h('div', { class: 'note stale', text: box.staleNote }) : null;
  }

  /** @param {CardBox} box */
  function unsafeBlock(box) {
    if (box.insertionAllowed) return null;
    return h('div', { class: 'note' }, [
      box.unsafeNote, ' ',
      button('Open side panel', 'panel', () => box.openSidePanel(), 'quiet'),
    ]);
  }

  /**
   * @param {CardBox} box
   * @param {number} index
   * @param {{focus?: boolean, mode?: 'hover'|'pinned'}} [opts]
   */
  function showFinding(box, index, opts = {}) {
    const f = box.shown[index];
    if (!f) { close(false); return; }
    view = { kind: 'finding', box, index, mode: opts.mode ?? 'hover' };
    const n = box.shown.length;
    const how = howMatched(f);
    const tips = f.suggestions.filter((s) => !isActionable(s));
    // index into f.suggestions: applySuggestion takes the companion's index
    const actions = f.suggestions.map((s, i) => ({ s, i })).filter(({ s }) => isActionable(s));
    el.setAttribute('role', 'dialog');
    el.setAttribute('aria-label', `PostGuard: ${f.message}`);
    fill(
      h('div', { class: 'head' }, [
        h('span', { class: `sev ${f.severity}`, 'aria-hidden': 'true' }),
        h('span', { text: `${CATEGORY_LABEL[/** @type {keyof typeof CATEGORY_LABEL} */ (f.category)] ?? f.category} · ${f.severity}` }),
        h('span', { class: 'nav' }, [
          n > 1 ? button('‹', 'prev', () => step(-1, true), 'icon') : null,
          n > 1 ? h('span', { text: `${index + 1}/${n}` }) : null,
          n > 1 ? button('›', 'next', () => step(1, true), 'icon') : null,
          button('×', 'close', () => close(true), 'icon'),
        ]),
      ]),
      h('p', { class: 'msg', text: f.message }),
      f.why ? h('p', { class: 'why', text: `Why: ${f.why}` }) : null,
      how ? h('p', { class: 'how', text: how }) : null,
      ...tips.map((s) => h('p', { class: 'tip', text: `Tip: ${s.label}` })),
      staleBlock(box),
      h('div', { class: 'actions' }, [
        ...(box.insertionAllowed ? actions.map(({ s, i }, k) => button(s.label, `suggest:${i}`, () => box.applySuggestion(f, i), k === 0 ? 'primary' : undefined)) : []),
        button('Ignore', 'ignore', () => box.ignore(f), 'quiet'),
        button(`Pause on ${box.siteName}`, 'pause', () => box.pauseSite(), 'quiet'),
      ]),
      refsBlock(box),
      unsafeBlock(box),
    );
    box.setActive(f);
    open(opts.focus);
  }

  /**
   * @param {CardBox} box
   * @param {{focus?: boolean}} [opts]
   */
  function showSummary(box, opts = {}) {
    view = { kind: 'summary', box, mode: 'pinned' };
    el.setAttribute('role', 'dialog');
    el.setAttribute('aria-label', 'PostGuard summary');
    fill(
      h('div', { class: 'head' }, [
        h('span', { text: 'PostGuard' }),
        h('span', { class: 'nav' }, [button('×', 'close', () => close(true), 'icon')]),
      ]),
      h('p', { class: 'msg', text: box.statusText }),
      staleBlock(box),
      box.shown.length ? h('ul', { class: 'list' }, box.shown.map((f, i) => h('li', {}, [
        button(`${f.message} (“${f.excerpt}”)`, `finding:${i}`, () => showFinding(box, i, { focus: true, mode: 'pinned' })),
      ]))) : null,
      refsBlock(box),
      box.packText ? h('div', { class: 'status', text: box.packText }) : null,
      h('div', { class: 'actions' }, [
        button(`Pause on ${box.siteName}`, 'pause', () => box.pauseSite(), 'quiet'),
        button('Open side panel', 'panel', () => box.openSidePanel(), 'quiet'),
      ]),
      unsafeBlock(box),
    );
    box.setActive(null);
    open(opts.focus);
  }

  /**
   * A held post. `unchecked`: PostGuard could not check the draft at all (Wait / Post anyway);
   * otherwise `items` are its critical findings, `stale` when they come from an earlier check that
   * could not be repeated (Edit / Post anyway).
   * @param {CardBox} box
   * @param {Element} anchor  the post control
   * @param {Finding[]} items critical findings
   * @param {{onEdit: () => void, onPost: () => void}} actions  onEdit also answers Wait and Escape
   * @param {{unchecked?: boolean, stale?: boolean, reason?: string}} [opts]  reason: why the companion did not answer
   */
  function showConfirm(box, anchor, items, actions, opts = {}) {
    const variant = opts.unchecked ? 'unchecked' : (opts.stale ? 'stale' : 'findings');
    view = { kind: 'confirm', box, anchor, items, onEdit: actions.onEdit, onPost: actions.onPost, mode: 'pinned', variant };
    el.setAttribute('role', 'alertdialog');
    el.setAttribute('aria-label', 'Before you post');
    const reason = opts.reason ? ` (${opts.reason})` : '';
    let msg;
    if (opts.unchecked) msg = `PostGuard could not check this draft${reason}. Post it unchecked, or wait until PostGuard can check it.`;
    else if (opts.stale) msg = `PostGuard could not re-check this draft${reason}. The last check found ${items.length === 1 ? 'a problem' : `${items.length} problems`} (not re-checked):`;
    else msg = items.length === 1 ? 'This draft still has a problem:' : `This draft still has ${items.length} problems:`;
    fill(
      h('div', { class: 'head' }, [h('span', { class: 'sev critical', 'aria-hidden': 'true' }), h('span', { text: 'Before you post' })]),
      h('p', { class: 'msg', text: msg }),
      items.length ? h('ul', { class: 'list' }, items.map((f) => h('li', {}, [
        h('span', { class: 'excerpt', text: `“${f.excerpt}”` }), ` — ${f.message}${f.why ? ` (${f.why})` : ''}`,
      ]))) : null,
      h('div', { class: 'actions' }, [
        opts.unchecked ? button('Wait', 'wait', () => actions.onEdit(), 'primary') : button('Edit', 'edit', () => actions.onEdit(), 'primary'),
        button('Post anyway', 'post-anyway', () => actions.onPost(), 'danger'),
      ]),
    );
    box.setActive(null);
    open(true);
    layer.announce(`Before you post: ${opts.unchecked ? msg : items.map((f) => f.message).join('; ')}`);
  }

  /** @param {boolean|undefined} focus */
  function open(focus) {
    el.hidden = false;
    position();
    onChange();
    if (focus) {
      const first = el.querySelector('.actions button') ?? el.querySelector('button');
      /** @type {HTMLElement} */ (first ?? el).focus({ preventScroll: true });
    }
  }

  /** @param {boolean} restoreFocus */
  function close(restoreFocus) {
    if (!view) return;
    const box = view.box;
    const hadFocus = layer.shadow.activeElement !== null && el.contains(layer.shadow.activeElement);
    view = null;
    el.hidden = true;
    el.replaceChildren();
    box.setActive(null);
    onChange();
    if (restoreFocus || hadFocus) box.el.focus({ preventScroll: true });
  }

  function position() {
    if (!view || el.hidden) return;
    /** @type {DOMRect|null} */
    let anchor = null;
    if (view.kind === 'finding') anchor = view.box.anchorRect(view.box.shown[view.index ?? 0] ?? null);
    else if (view.kind === 'confirm' && view.anchor) anchor = view.anchor.getBoundingClientRect();
    anchor ??= view.box.el.getBoundingClientRect();
    const size = { width: el.offsetWidth || 340, height: el.offsetHeight || 160 };
    const p = placeCard(anchor, size, { width: innerWidth, height: innerHeight });
    el.style.left = `${p.left}px`;
    el.style.top = `${p.top}px`;
  }

  /** Re-render the open view after the box changed (new results, ignore...). */
  function refresh() {
    if (!view) return;
    const focus = layer.shadow.activeElement !== null && el.contains(layer.shadow.activeElement);
    if (view.kind === 'finding') {
      if (!view.box.shown.length) close(focus);
      else showFinding(view.box, Math.min(view.index ?? 0, view.box.shown.length - 1), { focus, mode: view.mode });
    } else if (view.kind === 'summary') {
      showSummary(view.box, { focus });
    }
  }

  return {
    showFinding,
    showSummary,
    showConfirm,
    close,
    position,
    refresh,
    get view() { return view; },
    /** @param {number} x @param {number} y */
    contains(x, y) {
      if (!view || el.hidden) return false;
      const r = el.getBoundingClientRect();
      return x >= r.left - 4 && x <= r.right + 4 && y >= r.top - 4 && y <= r.bottom + 4;
    },
    /** Test hooks: what the card shows and where its buttons are. */
    snapshot() {
      if (!view || el.hidden) return { open: false };
      const f = view.kind === 'finding' ? view.box.shown[view.index ?? 0] : null;
      const focused = layer.shadow.activeElement;
      return {
        open: true,
        kind: view.kind,
        variant: view.variant ?? null,
        stale: view.kind !== 'confirm' && view.box.stale,
        findingId: f ? f.id : null,
        text: el.innerText,
        focused: focused && el.contains(focused) ? focused.getAttribute('data-action') ?? 'card' : null,
        buttons: [...el.querySelectorAll('button')].map((b) => {
          const r = b.getBoundingClientRect();
          return { label: b.textContent, action: b.getAttribute('data-action'), x: r.left + r.width / 2, y: r.top + r.height / 2 };
        }),
      };
    },
  };
}

/** @typedef {ReturnType<typeof createCard>} Card */

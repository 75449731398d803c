"""The fixture sites are faithful: real editor libraries, real DOM hooks, model == DOM, posting works.

Runs WITHOUT the extension. If one of these fails, every extension e2e test built on the fixture
would be testing a broken copy of the site, so they assert the editor's own MODEL, not just the DOM.
"""

from __future__ import annotations

import socket
import ssl

import pytest

from harness import (
    EDITORS,
    PAGES,
    dom_text,
    editor_locator,
    editor_text,
    focus_editor,
    page_errors,
    paste_text,
    post_button,
    posts,
    wait_for_editor_text,
)

BROWSER_CONTEXT_OPTIONS = {"with_extension": False}

# emoji (surrogate pairs, a ZWJ sequence with a skin tone), a precomposed é, an en dash and a
# decomposed é (e + U+0301 COMBINING ACUTE ACCENT)
DRAFT = "Launch 🚀 café – Projet Falcon Ridge e\u0301 👩🏽‍💻 done"
ALL = list(EDITORS)
RICH = [n for n, e in EDITORS.items() if e.library != "textarea"]
ONE_PER_LIBRARY = {"draft-js": "x-post", "lexical": "fb-post", "quill": "li-post", "prosemirror": "li-comment"}
# editors where a plain Enter inserts a new block (no Enter-to-send)
ENTER_IS_NEWLINE = [n for n in RICH if "Enter" not in EDITORS[n].submit_keys]

# what proves the element is driven by the real library (each library tags its root)
LIBRARY_PROOF = {
    "draft-js": "el.classList.contains('public-DraftEditor-content') && !!el.closest('.DraftEditor-root')"
    " && Object.keys(el).some((k) => k.startsWith('__reactFiber$'))",
    "lexical": "el.dataset.lexicalEditor === 'true' && !!el.__lexicalEditor",
    # Quill 2 keeps its instance in a private WeakMap (no __quill); its model is read through the page hook
    "quill": "el.classList.contains('ql-editor') && el.parentElement.classList.contains('ql-container')",
    "prosemirror": "el.classList.contains('ProseMirror') && !!el.pmViewDesc",
    "textarea": "el.tagName === 'TEXTAREA' && Object.keys(el).some((k) => k.startsWith('__reactProps$'))",
}

CONTEXT_WORDS = {
    "x-reply": "My NimbusCo blender broke after two weeks and the dealer won't fix it. Where do I get a repair?",
    "fb-comment": "NimbusCo Pro 900",
    "li-comment": "NimbusCo Pro 900",
    "ig-comment": "NimbusCo jug",
}


def assert_clean(page):
    assert page_errors(page) == [], f"uncaught page errors: {page_errors(page)}"


def type_into(page, name, text):
    focus_editor(page, name)
    page.keyboard.type(text)
    wait_for_editor_text(page, name, text)


# ---------------------------------------------------------------------------------------------
# structure


@pytest.mark.parametrize("name", ALL)
def test_page_has_the_real_site_hooks(open_page, name):
    ed = EDITORS[name]
    page = open_page(name)
    assert name in page.evaluate("window.__fixtureEditors()")
    # the REAL site's selector finds exactly this editor
    assert page.locator(ed.selector).count() == 1
    assert page.evaluate(
        "([real, name]) => document.querySelector(real) === document.querySelector(`[data-fixture-editor=\"${name}\"]`)",
        [ed.selector, name],
    )
    assert page.evaluate(f"(el) => {LIBRARY_PROOF[ed.library]}", editor_locator(page, name).element_handle())
    assert post_button(page, name).count() == 1
    if ed.context_selector:
        assert CONTEXT_WORDS[name] in page.locator(ed.context_selector).inner_text()
    assert editor_text(page, name) == "" and dom_text(page, name) == ""
    assert posts(page) == []
    assert_clean(page)


def test_pages_render_colour_emoji(open_page):
    page = open_page("x-post")
    coloured = page.evaluate(
        """() => {
            const c = document.createElement('canvas'); c.width = c.height = 48;
            const g = c.getContext('2d');
            g.font = '32px "Noto Color Emoji"'; g.textBaseline = 'top'; g.fillText('🚀', 4, 4);
            const d = g.getImageData(0, 0, 48, 48).data;
            let n = 0;
            for (let i = 0; i < d.length; i += 4)
                if (d[i + 3] > 0 && (Math.abs(d[i] - d[i + 1]) > 40 || Math.abs(d[i + 1] - d[i + 2]) > 40)) n++;
            return n;
        }"""
    )
    assert coloured > 50, "no colour emoji font: apt-get install -y fonts-noto-color-emoji"


# ---------------------------------------------------------------------------------------------
# typing


@pytest.mark.parametrize("name", ALL)
def test_typing_reaches_the_model(open_page, name):
    page = open_page(name)
    type_into(page, name, DRAFT)
    assert editor_text(page, name) == DRAFT
    assert dom_text(page, name) == editor_text(page, name)
    # typing on after a pause keeps model and DOM together
    page.keyboard.type(" ✅")
    wait_for_editor_text(page, name, DRAFT + " ✅")
    assert dom_text(page, name) == DRAFT + " ✅"
    assert posts(page) == []
    assert_clean(page)


def test_draft_js_multiline(open_page):
    page = open_page("x-post")
    focus_editor(page, "x-post")
    page.keyboard.type("line one 🚀")
    page.keyboard.press("Enter")
    page.keyboard.type("line two")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("line three é")
    expected = "line one 🚀\nline two\nline three é"
    wait_for_editor_text(page, "x-post", expected)
    assert dom_text(page, "x-post") == expected
    # Draft.js (no soft-newline handler, like X) turns both Enter and Shift+Enter into new blocks
    assert editor_locator(page, "x-post").locator('[data-block="true"]').count() == 3
    # delete back across the block boundary: the model follows
    for _ in range(len("line three é") + 1):
        page.keyboard.press("Backspace")
    wait_for_editor_text(page, "x-post", "line one 🚀\nline two")
    assert dom_text(page, "x-post") == "line one 🚀\nline two"
    assert posts(page) == []
    assert_clean(page)


@pytest.mark.parametrize("name", [n for n in ENTER_IS_NEWLINE if n != "x-post"])
def test_multiline(open_page, name):
    page = open_page(name)
    focus_editor(page, name)
    page.keyboard.type("first 🚀")
    page.keyboard.press("Enter")
    page.keyboard.type("second")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("third e\u0301")
    expected = "first 🚀\nsecond\nthird e\u0301"
    wait_for_editor_text(page, name, expected)
    assert dom_text(page, name) == expected
    assert posts(page) == []
    assert_clean(page)


# ---------------------------------------------------------------------------------------------
# posting


@pytest.mark.parametrize("name", ALL)
def test_post_control_posts_once_and_clears(open_page, name):
    page = open_page(name)
    type_into(page, name, DRAFT)
    post_button(page, name).click()
    page.wait_for_function("window.__posts.length > 0")
    assert posts(page) == [{"editor": name, "text": DRAFT}]
    wait_for_editor_text(page, name, "")
    assert dom_text(page, name) == ""
    # an empty box posts nothing (disabled control)
    post_button(page, name).click(force=True)
    page.wait_for_timeout(50)
    assert len(posts(page)) == 1
    # the editor still works after the reset
    type_into(page, name, "again 🎉")
    assert dom_text(page, name) == "again 🎉"
    assert_clean(page)


@pytest.mark.parametrize("name", [n for n in ALL if EDITORS[n].submit_keys])
def test_keyboard_submit(open_page, name):
    (key,) = EDITORS[name].submit_keys
    page = open_page(name)
    type_into(page, name, DRAFT)
    page.keyboard.press(key)
    page.wait_for_function("window.__posts.length > 0")
    assert posts(page) == [{"editor": name, "text": DRAFT}]
    wait_for_editor_text(page, name, "")
    assert dom_text(page, name) == ""
    # focus stays in the box and typing goes on into the emptied editor
    page.keyboard.type("next one")
    wait_for_editor_text(page, name, "next one")
    assert dom_text(page, name) == "next one"
    assert len(posts(page)) == 1
    assert_clean(page)


@pytest.mark.parametrize("name", ["fb-comment", "ig-comment"])
def test_shift_enter_is_a_newline_where_enter_sends(open_page, name):
    page = open_page(name)
    focus_editor(page, name)
    page.keyboard.type("one 🚀")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("two")
    wait_for_editor_text(page, name, "one 🚀\ntwo")
    assert dom_text(page, name) == "one 🚀\ntwo"
    assert posts(page) == []
    page.keyboard.press("Enter")
    page.wait_for_function("window.__posts.length > 0")
    assert posts(page) == [{"editor": name, "text": "one 🚀\ntwo"}]
    assert_clean(page)


# ---------------------------------------------------------------------------------------------
# insertion paths the extension relies on


@pytest.mark.parametrize("name", list(ONE_PER_LIBRARY.values()))
def test_synthetic_paste_lands_in_the_model(open_page, name):
    page = open_page(name)
    type_into(page, name, "Hello ")
    pasted = "world 🚀 café – e\u0301 👩🏽‍💻"
    assert paste_text(page, name, pasted) is True, "the editor did not handle the paste"
    wait_for_editor_text(page, name, "Hello " + pasted)
    assert dom_text(page, name) == "Hello " + pasted
    page.keyboard.type(" typed on")
    wait_for_editor_text(page, name, "Hello " + pasted + " typed on")
    assert dom_text(page, name) == editor_text(page, name)
    assert_clean(page)


COLD_PASTE = """async ([name, text]) => {
    // the extension's recipe: focus, wait a frame, caret at the end of the last leaf, paste
    const el = document.querySelector(`[data-fixture-editor="${name}"]`);
    el.focus();
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const sel = getSelection();
    if (!(sel.rangeCount && el.contains(sel.anchorNode))) {
        const r = document.createRange(), w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        let last = null, n;
        while ((n = w.nextNode())) last = n;
        if (last) r.setStart(last, last.length);
        else { let leaf = el; while (leaf.lastElementChild && leaf.lastElementChild.tagName !== 'BR') leaf = leaf.lastElementChild; r.setStart(leaf, 0); }
        r.collapse(true); sel.removeAllRanges(); sel.addRange(r);
    }
    const dt = new DataTransfer();
    dt.setData('text/plain', text);
    const ev = new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true});
    el.dispatchEvent(ev);
    return ev.defaultPrevented;
}"""


@pytest.mark.parametrize("name", list(ONE_PER_LIBRARY.values()))
def test_cold_paste_into_a_never_focused_editor(open_page, name):
    page = open_page(name)
    text = "Cold 🚀 insert é"
    assert page.evaluate(COLD_PASTE, [name, text]) is True
    wait_for_editor_text(page, name, text)
    assert dom_text(page, name) == text
    page.keyboard.type("!")
    wait_for_editor_text(page, name, text + "!")
    assert dom_text(page, name) == text + "!"
    assert_clean(page)


def test_textarea_value_lives_in_react_state(open_page):
    name = "ig-comment"
    page = open_page(name)
    ta = editor_locator(page, name)
    # an untrusted paste has no default action in a textarea
    assert paste_text(page, name, "pasted") is False
    assert editor_text(page, name) == "" and dom_text(page, name) == ""
    # native value setter + input event: React sees it (the extension's fallback)
    ta.evaluate(
        """(el) => {
            Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set.call(el, 'via setter 🚀');
            el.dispatchEvent(new Event('input', {bubbles: true}));
        }"""
    )
    wait_for_editor_text(page, name, "via setter 🚀")
    assert dom_text(page, name) == "via setter 🚀"
    # plain `el.value = ...` + input event: React's value tracker swallows it, the state is stale —
    # proof the box really is a React-controlled component
    ta.evaluate("(el) => { el.value = 'plain assignment'; el.dispatchEvent(new Event('input', {bubbles: true})); }")
    page.wait_for_timeout(50)
    assert editor_text(page, name) == "via setter 🚀"
    assert dom_text(page, name) == "plain assignment"
    assert_clean(page)


# ---------------------------------------------------------------------------------------------
# the server


def test_evil_origin_page(open_page):
    page = open_page("evil")
    assert page.url == PAGES["evil"]
    assert page.locator("#out").count() == 1
    assert page.evaluate("location.origin") == "https://evil.example"


def test_unknown_paths_are_404(browser_context):
    page = browser_context.new_page()
    try:
        for url in ("https://x.com/nope", "https://www.facebook.com/compose/post", "https://x.com/%2e%2e/evil.example/"):
            assert page.goto(url).status == 404, url
        assert page.goto(PAGES["x-compose"]).status == 200
    finally:
        page.close()


def test_server_certificate_covers_the_hosts(fixture_sites):
    from cryptography import x509

    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", fixture_sites.port), timeout=5) as raw:
        with ctx.wrap_socket(raw, server_hostname="x.com") as tls:
            der = tls.getpeercert(binary_form=True)
    san = x509.load_der_x509_certificate(der).extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    names = set(san.get_values_for_type(x509.DNSName))
    assert {"x.com", "www.facebook.com", "www.linkedin.com", "www.instagram.com", "evil.example"} <= names
    assert "127.0.0.1" in {str(ip) for ip in san.get_values_for_type(x509.IPAddress)}

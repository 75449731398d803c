// X's compose box: a Draft.js <Editor> with the props X passes, so the DOM is
// div.public-DraftEditor-content[contenteditable=true][role=textbox][data-testid=tweetTextarea_0].
import React, { useEffect, useRef, useState } from 'react';
import { Editor, EditorState, ContentState, getDefaultKeyBinding } from 'draft-js';
import 'draft-js/dist/Draft.css';
import { registerEditor, recordPost } from '../lib/fixture.js';

export function DraftComposer({ name, placeholder, buttonLabel, maxLength = 280 }) {
  const [editorState, setEditorState] = useState(() => EditorState.createEmpty());
  const stateRef = useRef(editorState);
  const editorRef = useRef(null);

  const onChange = (s) => {
    stateRef.current = s;
    setEditorState(s);
  };
  const text = editorState.getCurrentContent().getPlainText();

  useEffect(() => {
    registerEditor(name, {
      el: editorRef.current.editor, // the contenteditable div Draft renders
      getText: () => stateRef.current.getCurrentContent().getPlainText('\n'),
      blocks: () => [...editorRef.current.editor.querySelectorAll('[data-block="true"]')],
      clear: () => {
        // what X does after a post: the composer starts over, empty
        const empty = EditorState.push(stateRef.current, ContentState.createFromText(''), 'remove-range');
        const focused = document.activeElement === editorRef.current.editor;
        onChange(focused ? EditorState.moveFocusToEnd(empty) : empty);
      },
    });
  }, []);

  const post = () => recordPost(name);

  return (
    <div className="x-composer">
      <div className="x-avatar" aria-hidden="true">E</div>
      <div className="x-composer-main">
        <div className="x-editor-wrap">
          <Editor
            ref={editorRef}
            editorState={editorState}
            onChange={onChange}
            placeholder={placeholder}
            webDriverTestID="tweetTextarea_0"
            ariaLabel="Post text"
            ariaMultiline={true}
            role="textbox"
            spellCheck={true}
            keyBindingFn={(e) => getDefaultKeyBinding(e)}
            handleReturn={(e) => {
              if (e.ctrlKey || e.metaKey) { // X: Ctrl/Cmd+Enter posts
                post();
                return 'handled';
              }
              return 'not-handled';
            }}
          />
        </div>
        <div className="x-toolbar">
          <span className="x-icons" aria-hidden="true">🖼️ 🎞️ 📊 😊 📅 📍</span>
          <span className="x-count" data-testid="fixture-char-count">{maxLength - [...text].length}</span>
          <button
            type="button"
            data-testid="tweetButtonInline"
            className="x-post-button"
            disabled={text.trim() === ''}
            onClick={post}
          >
            {buttonLabel}
          </button>
        </div>
      </div>
    </div>
  );
}

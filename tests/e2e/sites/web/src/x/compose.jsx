import React from 'react';
import { createRoot } from 'react-dom/client';
import { DraftComposer } from './DraftComposer.jsx';
import { expectEditors } from '../lib/fixture.js';

expectEditors(['x-post']);
createRoot(document.getElementById('composer')).render(
  <DraftComposer name="x-post" placeholder="What is happening?!" buttonLabel="Post" />,
);

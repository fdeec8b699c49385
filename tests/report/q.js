#!/usr/bin/env node
// q.js FILE EXPR — print the value of the JavaScript expression EXPR over `d`, the JSON document
// in FILE: a results or sweep file, or (FILE ending in .html) the figures a `seedload report`
// page embeds in its <script type="application/json" id="sl-data"> element. Strings print as
// they are, anything else as JSON. Used by tests/integration/report.sh to compute, from the
// inputs, what the page must show.
'use strict';
const fs = require('fs');
const [file, expr] = process.argv.slice(2);
if (!file || !expr) {
  console.error('usage: q.js FILE EXPR');
  process.exit(2);
}
let text = fs.readFileSync(file, 'utf8');
if (file.endsWith('.html')) {
  const open = '<script type="application/json" id="sl-data">';
  const a = text.indexOf(open);
  const b = a < 0 ? -1 : text.indexOf('</script>', a);
  if (a < 0 || b < 0) {
    console.error(file + ': no sl-data element');
    process.exit(1);
  }
  text = text.slice(a + open.length, b);
}
const d = JSON.parse(text);
const v = new Function('d', 'return (' + expr + ');')(d);
process.stdout.write((typeof v === 'string' ? v : JSON.stringify(v)) + '\n');

/* report_html.h — the page of `seedload report`: one self-contained HTML file (inline CSS, inline
 * JS, SVG charts drawn by that JS; nothing fetched) built around a JSON object of the figures
 * that cmd_report.c prepares (docs/report.md). */
#ifndef SEEDLOAD_REPORT_HTML_H
#define SEEDLOAD_REPORT_HTML_H

#include "seedload/util.h"

/* Append the whole page to out. title is plain text (escaped here); data is the JSON text of
 * the figures (any valid JSON: it is embedded in a <script type="application/json"> element
 * with every '<', '>' and '&' written as a \u escape, so no input can close the element or
 * start markup; the page parses it with JSON.parse and writes every string with textContent). */
void report_html_page(sbuf *out, const char *title, const char *data, size_t len);

/* Append s to out as HTML text: & < > " ' escaped. */
void report_html_escape(sbuf *out, const char *s);

#endif

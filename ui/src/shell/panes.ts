// The two layouts of the main pane: a list beside a detail (which takes the whole pane on a
// narrow window once open), or one view on its own.

import { html, type TemplateResult } from "lit-html";

export function twoPane(list: TemplateResult, detail: TemplateResult, detailOpen: boolean): TemplateResult {
  return html`<div class="two-pane ${detailOpen ? "detail-open" : ""}">
    <section class="list-pane">${list}</section>
    <section class="detail-pane">${detail}</section>
  </div>`;
}

export function single(view: TemplateResult): TemplateResult {
  return html`<div class="single-pane">${view}</div>`;
}

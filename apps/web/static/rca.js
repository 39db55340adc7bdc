// Draws the RCA's ```mermaid blocks with the Mermaid copy this app serves (no internet needed).
(function () {
  'use strict';
  if (!window.mermaid) return;
  window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral' });
  function draw() {
    window.mermaid.run({ querySelector: 'article[data-rca] pre.mermaid:not([data-processed])' });
  }
  draw();
  // The live script swaps the article when the draft changes: draw the new diagram too.
  new MutationObserver(draw).observe(document.getElementById('rca-region') || document.body, { childList: true });
})();

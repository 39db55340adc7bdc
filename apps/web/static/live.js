// Progressive enhancement: the pages work without this script. With it, a page that names a
// live source (server-sent events) refreshes its live regions when the server says something
// changed, leaving forms and what people are typing alone.
(function () {
  'use strict';
  var root = document.querySelector('[data-live-source]');
  var announcer = document.querySelector('[data-live-announcer]');

  // A form that came back with errors: take the person to them.
  var summary = document.querySelector('[data-error-summary]');
  if (summary) summary.focus();

  if (!root || !window.EventSource || !window.fetch || !window.DOMParser) return;
  var source = root.getAttribute('data-live-source');
  // The page to fetch again: after a form came back with errors, the address is the form's, not the page's.
  var pageUrl = /\/record\//.test(window.location.pathname) ? root.getAttribute('data-live-page') : window.location.href;
  var refreshing = false;
  var again = false;

  function openDetails(region) {
    var open = [];
    region.querySelectorAll('details[open]').forEach(function (d) {
      var key = d.closest('[id]');
      if (key) open.push(key.id + '|' + (d.getAttribute('data-figure') || d.className));
    });
    return open;
  }

  function refresh() {
    if (refreshing) { again = true; return; }
    refreshing = true;
    fetch(pageUrl, { headers: { accept: 'text/html' }, credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var next = new DOMParser().parseFromString(html, 'text/html');
        var changed = 0;
        document.querySelectorAll('[data-live-region]').forEach(function (region) {
          var fresh = next.getElementById(region.id);
          if (!fresh || fresh.innerHTML === region.innerHTML) return;
          // Never pull the ground from under a person typing in this region.
          if (region.contains(document.activeElement) && document.activeElement !== document.body) return;
          var wasOpen = openDetails(region);
          region.innerHTML = fresh.innerHTML;
          region.querySelectorAll('details').forEach(function (d) {
            var key = d.closest('[id]');
            if (key && wasOpen.indexOf(key.id + '|' + (d.getAttribute('data-figure') || d.className)) >= 0) d.open = true;
          });
          changed += 1;
        });
        if (changed && announcer) announcer.textContent = 'Updated at ' + new Date().toLocaleTimeString();
      })
      .catch(function () { /* the next change tries again */ })
      .then(function () {
        refreshing = false;
        if (again) { again = false; refresh(); }
      });
  }

  var events = new EventSource(source);
  events.addEventListener('changed', refresh);
  window.addEventListener('pagehide', function () { events.close(); });
})();

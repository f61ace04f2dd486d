// Live parts of a page: an element with data-live="<fragment url>" is replaced by what the server streams
// (server-sent events) whenever it changes. No framework; works offline.
(function () {
  function connect(element) {
    var source = new EventSource(element.getAttribute('data-live'));
    var dot = document.querySelector('.live-dot');
    source.addEventListener('update', function (e) {
      element.innerHTML = e.data;
      element.setAttribute('data-updated', String(Date.now()));
    });
    source.onopen = function () { if (dot) dot.classList.add('on'); };
    source.onerror = function () { if (dot) dot.classList.remove('on'); };
    window.addEventListener('beforeunload', function () { source.close(); });
  }
  document.querySelectorAll('[data-live]').forEach(connect);
})();

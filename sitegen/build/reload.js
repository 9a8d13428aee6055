// sitegen serve only (never in built files): reload the page when the site is rebuilt.
// The page carries the build version it was served from (data-version), so a save made
// between loading the page and this script's first request is not missed.
(function () {
  var me = document.currentScript;
  var version = me && me.getAttribute("data-version");
  if (version === null) return;
  function wait() {
    // Long poll: the server answers when the version differs from ours (or after a while).
    fetch("/__sitegen/wait?since=" + encodeURIComponent(version), {cache: "no-store"})
      .then(function (r) { return r.text(); })
      .then(function (now) { if (now !== version) { location.reload(); } else { wait(); } })
      .catch(function () { setTimeout(wait, 1000); });  // server restarting: try again
  }
  wait();
})();

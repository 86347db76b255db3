// The plenum wall in presentation mode: full screen on a click or F (browsers allow it only
// after a gesture), Escape leaves full screen first and then the presentation.
(function () {
  "use strict";
  var body = document.body;
  var exitUrl = body.getAttribute("data-exit-url");

  function enterFullScreen() {
    if (!document.fullscreenElement && document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () {});
    }
  }

  document.addEventListener("click", function (event) {
    if (!event.target.closest("a")) enterFullScreen();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "f" || event.key === "F") {
      enterFullScreen();
    } else if (event.key === "Escape" && !document.fullscreenElement) {
      window.location.assign(exitUrl);
    }
  });
})();

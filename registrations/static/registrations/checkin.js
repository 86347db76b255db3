// Check-in at the door: the camera reads the QR code with qr-scanner (npm) and submits the
// same form staff type codes into, so both ways give the same answer from the server.
(function () {
  "use strict";
  var form = document.getElementById("checkin-form");
  var input = document.getElementById("ticket");
  var video = document.getElementById("camera");
  var startButton = document.getElementById("camera-start");
  var stopButton = document.getElementById("camera-stop");
  var problem = document.getElementById("camera-problem");
  var scanner = null;
  var lastCode = "";
  var lastAt = 0;

  function submitCode(code) {
    var now = Date.now();
    // The same code stays in front of the camera for a while: send it once, not every frame.
    if (code === lastCode && now - lastAt < 4000) return;
    lastCode = code;
    lastAt = now;
    input.value = code;
    form.requestSubmit();
  }

  function startCamera() {
    if (!scanner) {
      scanner = new QrScanner(video, function (result) { submitCode(result.data); }, {
        returnDetailedScanResult: true,
        maxScansPerSecond: 10,
      });
    }
    video.hidden = false;
    scanner.start().then(function () {
      startButton.hidden = true;
      stopButton.hidden = false;
    }).catch(function () {
      video.hidden = true;
      problem.hidden = false;
    });
  }

  function stopCamera() {
    if (scanner) scanner.stop();
    video.hidden = true;
    stopButton.hidden = true;
    startButton.hidden = false;
  }

  startButton.addEventListener("click", startCamera);
  stopButton.addEventListener("click", stopCamera);
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt === form) {
      input.value = "";
      if (!scanner || video.hidden) input.focus();
    }
  });
})();

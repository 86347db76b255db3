/*
 * Keeps what is typed into an idea form in localStorage until the server has stored it, so a
 * reload or a dropped connection loses nothing. The form's client_id travels with the draft:
 * sending a restored draft again stores the idea once, even if the first attempt did arrive.
 * Without JavaScript (or without storage) the form works the same, only without drafts.
 */
(function () {
  "use strict";

  var storage;
  try {
    storage = window.localStorage;
    storage.setItem("stadtdialog-probe", "1");
    storage.removeItem("stadtdialog-probe");
  } catch (error) {
    return;
  }

  function newClientId() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID().replace(/-/g, "");
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function setUp(form) {
    var key = form.getAttribute("data-draft-key");
    var status = form.querySelector("[data-draft-status]");
    var discard = form.querySelector("[data-draft-discard]");
    var typed = ["title", "text", "theme", "email"];

    function field(name) {
      return form.elements.namedItem(name);
    }

    function read() {
      try {
        return JSON.parse(storage.getItem(key) || "null");
      } catch (error) {
        return null;
      }
    }

    function say(message) {
      if (status) {
        status.textContent = message;
      }
    }

    function isStored(clientId) {
      var saved = form.getAttribute("data-saved-client-id");
      var selector = '[data-client-id="' + (window.CSS && CSS.escape ? CSS.escape(clientId) : clientId) + '"]';
      return clientId && (clientId === saved || document.querySelector(selector));
    }

    function save() {
      var draft = {};
      var empty = true;
      typed.concat(["client_id", "for_plenum", "updates_consent"]).forEach(function (name) {
        var input = field(name);
        if (!input) {
          return;
        }
        draft[name] = input.type === "checkbox" ? input.checked : input.value;
        if (typed.indexOf(name) !== -1 && input.value.trim()) {
          empty = false;
        }
      });
      if (empty) {
        storage.removeItem(key);
      } else {
        storage.setItem(key, JSON.stringify(draft));
      }
      if (discard) {
        discard.hidden = empty;
      }
    }

    function restore(draft) {
      Object.keys(draft).forEach(function (name) {
        var input = field(name);
        if (!input) {
          return;
        }
        if (input.type === "checkbox") {
          input.checked = Boolean(draft[name]);
        } else {
          input.value = draft[name];
        }
      });
      if (discard) {
        discard.hidden = false;
      }
      say(form.getAttribute("data-restored-message") || "");
    }

    var draft = read();
    if (draft && isStored(draft.client_id)) {
      storage.removeItem(key);
      draft = null;
    }
    // A form the server sent back with errors already holds what was typed.
    if (draft && !form.hasAttribute("data-draft-bound")) {
      restore(draft);
    } else if (form.hasAttribute("data-draft-bound")) {
      save();
    }

    form.addEventListener("input", save);
    form.addEventListener("change", save);
    if (discard) {
      discard.addEventListener("click", function () {
        typed.forEach(function (name) {
          var input = field(name);
          if (input) {
            input.value = "";
          }
        });
        // A fresh id: the emptied form must not be mistaken for the idea the old one belonged to.
        var clientId = field("client_id");
        if (clientId) {
          clientId.value = newClientId();
        }
        storage.removeItem(key);
        discard.hidden = true;
        say("");
        var title = field("title");
        if (title) {
          title.focus();
        }
      });
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-draft-key]"), setUp);
})();

// Procap's progressive enhancements. Every page works without this file:
// it marks the document as script-capable (so `.js-only` parts show and
// `.no-js-only` notes hide) and makes copy buttons work. Texts come from
// data attributes that the server fills from the translation files.
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Fallback for plain-HTTP deployments, where the Clipboard API is absent.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    var copied = document.execCommand("copy");
    document.body.removeChild(area);
    return copied ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function textFor(button) {
    if (button.hasAttribute("data-copy-text")) {
      return button.getAttribute("data-copy-text");
    }
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target) {
      return null;
    }
    return "value" in target ? target.value : target.textContent;
  }

  function setUpCopyButton(button) {
    var originalLabel = button.textContent;
    button.addEventListener("click", function () {
      var text = textFor(button);
      if (text === null) {
        return;
      }
      copyText(text).then(function () {
        button.textContent = button.getAttribute("data-copied-label") || originalLabel;
        window.setTimeout(function () {
          button.textContent = originalLabel;
        }, 2500);
      }, function () {
        // Copying was refused: select the text so the user can copy it.
        var target = document.getElementById(button.getAttribute("data-copy-target"));
        if (target && typeof target.select === "function") {
          target.focus();
          target.select();
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("[data-copy-text], [data-copy-target]");
    Array.prototype.forEach.call(buttons, setUpCopyButton);

    // Move focus to the error summary so screen readers announce it first.
    var summary = document.querySelector(".error-summary");
    if (summary) {
      summary.focus();
    }
  });
})();

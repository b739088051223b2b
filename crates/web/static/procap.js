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
        // The browser rejected copying, so select the text for the user to copy.
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

// Passkeys (WebAuthn). The server sends challenges as JSON with binary
// fields in base64url; the browser API wants ArrayBuffers, and the answer
// goes back as JSON with base64url again. Messages come from data
// attributes; a same-origin fetch satisfies the server's origin check.
(function () {
  "use strict";

  function fromBase64url(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) {
      base64 += "=";
    }
    var binary = window.atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i += 1) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i += 1) {
      binary += String.fromCharCode(bytes[i]);
    }
    return window.btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function postJson(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: body === undefined ? "{}" : JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () {
        return {};
      }).then(function (data) {
        if (!response.ok) {
          var failure = new Error(data.error || "");
          failure.serverMessage = data.error || "";
          failure.redirect = data.redirect;
          throw failure;
        }
        return data;
      });
    });
  }

  function creationOptions(challenge) {
    var options = challenge.publicKey;
    options.challenge = fromBase64url(options.challenge);
    options.user.id = fromBase64url(options.user.id);
    (options.excludeCredentials || []).forEach(function (credential) {
      credential.id = fromBase64url(credential.id);
    });
    return { publicKey: options };
  }

  function requestOptions(challenge) {
    var options = challenge.publicKey;
    options.challenge = fromBase64url(options.challenge);
    (options.allowCredentials || []).forEach(function (credential) {
      credential.id = fromBase64url(credential.id);
    });
    return { publicKey: options };
  }

  function registrationJson(credential) {
    var response = credential.response;
    var json = {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      extensions: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
      response: {
        attestationObject: toBase64url(response.attestationObject),
        clientDataJSON: toBase64url(response.clientDataJSON)
      }
    };
    if (typeof response.getTransports === "function") {
      json.response.transports = response.getTransports();
    }
    return json;
  }

  function assertionJson(credential) {
    var response = credential.response;
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      extensions: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
      response: {
        authenticatorData: toBase64url(response.authenticatorData),
        clientDataJSON: toBase64url(response.clientDataJSON),
        signature: toBase64url(response.signature),
        userHandle: response.userHandle ? toBase64url(response.userHandle) : null
      }
    };
  }

  function showError(container, message) {
    var slot = container.querySelector("[data-passkey-error]");
    if (slot) {
      slot.textContent = message;
      slot.hidden = false;
    }
  }

  function failWith(container, busy) {
    return function (error) {
      busy.disabled = false;
      if (error && error.redirect) {
        window.location.assign(error.redirect);
        return;
      }
      // A cancelled prompt (NotAllowedError) has no server message; the
      // generic text invites another try.
      showError(container, (error && error.serverMessage) || container.getAttribute("data-error-generic"));
    };
  }

  function supported(container) {
    if (window.PublicKeyCredential && navigator.credentials) {
      return true;
    }
    showError(container, container.getAttribute("data-error-unsupported"));
    return false;
  }

  function setUpRegistration(form) {
    var button = form.querySelector("button[type=submit]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!supported(form)) {
        return;
      }
      button.disabled = true;
      var nameField = form.querySelector("[name=passkey_name]");
      var name = nameField ? nameField.value : "";
      postJson(form.getAttribute("data-start"))
        .then(function (challenge) {
          return navigator.credentials.create(creationOptions(challenge));
        })
        .then(function (credential) {
          return postJson(form.getAttribute("data-finish"), { name: name, credential: registrationJson(credential) });
        })
        .then(function (result) {
          window.location.assign(result.redirect);
        }, failWith(form, button));
    });
  }

  function setUpLogin(container) {
    var button = container.querySelector("[data-passkey-login-button]");
    if (!button) {
      return;
    }
    button.addEventListener("click", function () {
      if (!supported(container)) {
        return;
      }
      button.disabled = true;
      postJson(container.getAttribute("data-start"))
        .then(function (challenge) {
          return navigator.credentials.get(requestOptions(challenge));
        })
        .then(function (credential) {
          return postJson(container.getAttribute("data-finish"), assertionJson(credential));
        })
        .then(function (result) {
          window.location.assign(result.redirect);
        }, failWith(container, button));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-passkey-register]"), setUpRegistration);
    Array.prototype.forEach.call(document.querySelectorAll("[data-passkey-login]"), setUpLogin);
  });
})();

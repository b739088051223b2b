// The quiz countdown. The quiz page works without this file: the server
// enforces the time limit whatever the browser does. With it, the element
// with `data-deadline` (a polite live region) tells the time left, changing
// its text at most once a minute so that screen readers are not flooded,
// and the answers are submitted when the time is up. Texts come from data
// attributes that the server fills from the translation files; `{n}` in
// `data-msg-other` stands for the number of minutes.
(function () {
  "use strict";

  function start(region) {
    var deadline = Date.parse(region.getAttribute("data-deadline"));
    var form = document.querySelector("form.quiz-form");
    if (isNaN(deadline) || !form) {
      return;
    }
    // A page opened after the deadline (an attempt resumed late, or the
    // form shown again with an error) is not submitted by itself: the
    // trainee decides, and the server applies the late rule.
    var armed = deadline > Date.now();
    var shown = null;
    var timer = null;

    function say(text) {
      if (text !== shown) {
        shown = text;
        region.textContent = text;
      }
    }

    function tick() {
      var left = deadline - Date.now();
      if (left <= 0) {
        say(region.getAttribute("data-msg-submitting"));
        window.clearInterval(timer);
        if (armed) {
          armed = false;
          HTMLFormElement.prototype.submit.call(form);
        }
        return;
      }
      var minutes = Math.ceil(left / 60000);
      if (left < 60000) {
        say(region.getAttribute("data-msg-last"));
      } else if (minutes === 1) {
        say(region.getAttribute("data-msg-one"));
      } else {
        say(region.getAttribute("data-msg-other").replace("{n}", String(minutes)));
      }
    }

    if (!armed) {
      return;
    }
    tick();
    timer = window.setInterval(tick, 1000);
  }

  function init() {
    var region = document.querySelector(".quiz-countdown[data-deadline]");
    if (region) {
      start(region);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

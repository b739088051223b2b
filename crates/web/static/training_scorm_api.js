// The SCORM 1.2 run-time API for a package shown in the lesson page's
// frame. A SCO looks for `window.API` in its parent windows; this file
// defines it on the lesson page. Values start from the data attributes of
// `#scorm-runtime` (what the trainee's package stored before), are checked
// against the SCORM 1.2 data model on LMSSetValue, and LMSCommit sends the
// changed ones to the server as JSON with a same-origin fetch. The server
// checks them again. The file must load before the frame, so the page
// includes it without `defer` just above the frame.
(function () {
  "use strict";

  var runtime = document.getElementById("scorm-runtime");
  if (!runtime) {
    return;
  }
  var data = runtime.dataset;

  var ERRORS = {
    "0": "No error",
    "101": "General exception",
    "201": "Invalid argument error",
    "202": "Element cannot have children",
    "203": "Element not an array - cannot have count",
    "301": "Not initialized",
    "401": "Not implemented error",
    "402": "Invalid set value, element is a keyword",
    "403": "Element is read only",
    "404": "Element is write only",
    "405": "Incorrect data type"
  };

  var STATUSES = ["passed", "completed", "failed", "incomplete", "browsed"];
  var EXITS = ["", "time-out", "suspend", "logout"];

  function isDecimal(value) {
    if (value === "") {
      return true;
    }
    if (!/^\d{0,3}(\.\d*)?$/.test(value) || value === "." ) {
      return false;
    }
    var number = parseFloat(value);
    return !isNaN(number) && number >= 0 && number <= 100;
  }

  function isTimespan(value) {
    var match = /^(\d{2,4}):(\d{2}):(\d{2})(\.\d{1,2})?$/.exec(value);
    return !!match && parseInt(match[2], 10) < 60 && parseInt(match[3], 10) < 60;
  }

  function maxLength(max) {
    return function (value) {
      return value.length <= max;
    };
  }

  // Elements a package may write, with their checks.
  var WRITABLE = {
    "cmi.core.lesson_status": function (value) {
      return STATUSES.indexOf(value) >= 0;
    },
    "cmi.core.score.raw": isDecimal,
    "cmi.core.score.min": isDecimal,
    "cmi.core.score.max": isDecimal,
    "cmi.core.lesson_location": maxLength(255),
    "cmi.core.exit": function (value) {
      return EXITS.indexOf(value) >= 0;
    },
    "cmi.core.session_time": isTimespan,
    "cmi.suspend_data": maxLength(4096),
    "cmi.comments": maxLength(4096)
  };
  var WRITE_ONLY = ["cmi.core.exit", "cmi.core.session_time"];
  var KEYWORDS = {
    "cmi.core._children":
      "student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time",
    "cmi.core.score._children": "raw,min,max"
  };

  var suspendData = data.suspendData || "";
  var values = {
    "cmi.core.student_id": data.studentId || "",
    "cmi.core.student_name": data.studentName || "",
    "cmi.core.lesson_location": data.lessonLocation || "",
    "cmi.core.credit": data.credit || "credit",
    "cmi.core.lesson_status": data.status || "not attempted",
    "cmi.core.entry": suspendData !== "" ? "resume" : "ab-initio",
    "cmi.core.score.raw": data.score || "",
    "cmi.core.score.min": data.scoreMin || "",
    "cmi.core.score.max": data.scoreMax || "",
    "cmi.core.total_time": "0000:00:00",
    "cmi.core.lesson_mode": data.lessonMode || "normal",
    "cmi.suspend_data": suspendData,
    "cmi.launch_data": "",
    "cmi.comments": "",
    "cmi.comments_from_lms": ""
  };

  var state = { initialized: false, finished: false, lastError: "0" };
  var changed = {};
  var saveStatus = document.getElementById("scorm-save-status");

  function fail(code) {
    state.lastError = code;
    return code === "0";
  }

  function running() {
    if (!state.initialized || state.finished) {
      fail("301");
      return false;
    }
    return true;
  }

  function show(message) {
    if (saveStatus && message) {
      saveStatus.textContent = message;
    }
  }

  function send() {
    var pending = changed;
    changed = {};
    if (Object.keys(pending).length === 0) {
      return;
    }
    fetch(data.commitUrl, {
      method: "POST",
      credentials: "same-origin",
      keepalive: true,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(pending)
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("commit refused: " + response.status);
      }
      show(data.msgSaved);
    }).catch(function () {
      // Keep the values for the next commit, unless newer ones replaced them.
      Object.keys(pending).forEach(function (element) {
        if (!(element in changed)) {
          changed[element] = pending[element];
        }
      });
      show(data.msgFailed);
    });
  }

  window.API = {
    LMSInitialize: function (argument) {
      if (argument !== "") {
        return String(fail("201"));
      }
      if (state.initialized || state.finished) {
        return String(fail("101"));
      }
      state.initialized = true;
      return String(fail("0"));
    },
    LMSFinish: function (argument) {
      if (argument !== "") {
        return String(fail("201"));
      }
      if (!running()) {
        return "false";
      }
      send();
      state.finished = true;
      return String(fail("0"));
    },
    LMSGetValue: function (element) {
      if (!running()) {
        return "";
      }
      element = String(element);
      if (element in KEYWORDS) {
        fail("0");
        return KEYWORDS[element];
      }
      if (WRITE_ONLY.indexOf(element) >= 0) {
        fail("404");
        return "";
      }
      if (element in values) {
        fail("0");
        return values[element];
      }
      fail(element.indexOf("cmi.") === 0 ? "401" : "201");
      return "";
    },
    LMSSetValue: function (element, value) {
      if (!running()) {
        return "false";
      }
      element = String(element);
      value = String(value);
      if (element in KEYWORDS) {
        return String(fail("402"));
      }
      var check = WRITABLE[element];
      if (!check) {
        return String(fail(element in values ? "403" : element.indexOf("cmi.") === 0 ? "401" : "201"));
      }
      if (!check(value)) {
        return String(fail("405"));
      }
      if (WRITE_ONLY.indexOf(element) < 0) {
        values[element] = value;
      }
      changed[element] = value;
      return String(fail("0"));
    },
    LMSCommit: function (argument) {
      if (argument !== "") {
        return String(fail("201"));
      }
      if (!running()) {
        return "false";
      }
      send();
      return String(fail("0"));
    },
    LMSGetLastError: function () {
      return state.lastError;
    },
    LMSGetErrorString: function (code) {
      return ERRORS[String(code)] || "";
    },
    LMSGetDiagnostic: function (code) {
      var key = code === "" || code === undefined ? state.lastError : String(code);
      return ERRORS[key] || "";
    }
  };

  // A package that never calls LMSFinish still gets its last values saved.
  window.addEventListener("pagehide", function () {
    if (state.initialized && !state.finished) {
      send();
    }
  });
})();

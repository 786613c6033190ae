// Documents screens: keep every form's version in step after an htmx update of the attachment list,
// move the focus to the inbox preview once it is shown, load a file viewer when it is opened, and disable a submit button once clicked
// (the server still refuses a second submission).
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target && event.target.id === "inbox-preview") {
      var heading = document.getElementById("preview-title");
      if (heading) heading.focus();
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var panel = document.getElementById("attachments");
    if (!panel || !panel.dataset.version) return;
    document.querySelectorAll('input[name="expected_version"]').forEach(function (input) {
      input.value = panel.dataset.version;
    });
  });
  // A viewer (PDF in the page) loads its file only when opened: each view of a file is recorded.
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.matches || !details.matches("details[data-viewer]") || !details.open) return;
    var frame = details.querySelector("iframe[data-src]");
    if (frame && !frame.getAttribute("src")) frame.setAttribute("src", frame.dataset.src);
  }, true);
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.hasAttribute("data-once") && !event.defaultPrevented) {
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  });
})();

// Documents screens: keep every form's version in step after an htmx update of the attachment list,
// move the focus to the inbox preview once it is shown, and disable a submit button once clicked
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
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.hasAttribute("data-once") && !event.defaultPrevented) {
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  });
})();

// The header menu is a <details> element: a "メニュー" button on phones,
// always open (its toggle hidden by CSS) on wider screens. Without this
// script it simply stays a working disclosure on every screen.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 48em)");
  function sync() {
    document.querySelectorAll("[data-shell-menu]").forEach(function (menu) {
      menu.open = wide.matches;
    });
  }
  sync();
  wide.addEventListener("change", sync);
})();

// Show only the field the chosen kind uses: 支出負担行為 for 支出命令, 予算科目 for 兼・集合 (the server checks both ways).
(function () {
  "use strict";
  var form = document.querySelector('[data-testid="payment-form"]');
  if (!form) return;
  function show() {
    var checked = form.querySelector('input[name="kind"]:checked');
    var kind = checked ? checked.value : "";
    form.querySelectorAll("[data-order-kinds]").forEach(function (box) {
      box.hidden = box.dataset.orderKinds.split(" ").indexOf(kind) < 0 && !box.querySelector(".doc-field__error");
    });
  }
  // 窓口払 pays to no account: the lines' 振込口座 are hidden (the server ignores them too).
  function accounts() {
    var method = form.querySelector('[name="payment_method"]');
    var cash = !!method && method.value === "cash";
    form.querySelectorAll("[data-order-account]").forEach(function (box) { box.hidden = cash; });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "kind") show();
    if (event.target.name === "payment_method") accounts();
  });
  document.body.addEventListener("htmx:load", accounts);
  show();
  accounts();
})();

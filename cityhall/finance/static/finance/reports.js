// Budget execution by section: one horizontal bar chart of every section on one scale,
// 配当額 against 負担額 (執行額), drawn from the JSON the page embeds with json_script (no inline
// script: the pages run under a strict Content-Security-Policy). The table above carries the figures.
(function () {
  "use strict";
  // Digital Agency tokens: blue-900 for the budget, orange-800 for what is executed.
  var BUDGET = "#0017C1";
  var EXECUTED = "#C74700";
  var yen = new Intl.NumberFormat("ja-JP", { style: "currency", currency: "JPY", notation: "compact" });
  var fullYen = new Intl.NumberFormat("ja-JP", { style: "currency", currency: "JPY" });

  function draw() {
    var data = document.getElementById("section-chart-data");
    var canvas = document.getElementById("section-chart");
    if (!data || !canvas || typeof window.Chart === "undefined") return;
    var chart = JSON.parse(data.textContent);
    // Every section keeps a readable bar pair: 36 px a section, plus the axis and legend.
    canvas.parentNode.style.height = chart.labels.length * 36 + 80 + "px";
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: [
          { label: canvas.dataset.budgetLabel, data: chart.budget, backgroundColor: BUDGET },
          { label: canvas.dataset.executedLabel, data: chart.executed, backgroundColor: EXECUTED }
        ]
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { position: "top" },
          tooltip: {
            callbacks: {
              label: function (item) { return item.dataset.label + ": " + fullYen.format(item.parsed.x); }
            }
          }
        },
        scales: {
          x: { beginAtZero: true, ticks: { callback: function (value) { return yen.format(value); } } },
          y: { ticks: { autoSkip: false } }
        }
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

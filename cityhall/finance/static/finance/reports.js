// Budget execution reports: one bar chart per section (配当額・負担額・支出命令額・支出済額)
// drawn from the JSON the page embeds; the table beside it carries the same figures.
(function () {
  "use strict";
  var COLORS = ["#0017C1", "#E25100", "#259D63", "#6B6B6B"];
  var yen = new Intl.NumberFormat("ja-JP", { style: "currency", currency: "JPY" });

  function draw() {
    var data = document.getElementById("section-chart-data");
    var labelsHolder = document.getElementById("section-chart-labels");
    if (!data || !labelsHolder || typeof window.Chart === "undefined") return;
    var labels = labelsHolder.dataset.labels.split("|");
    JSON.parse(data.textContent).forEach(function (section) {
      var canvas = document.getElementById("section-chart-" + section.id);
      if (!canvas) return;
      new window.Chart(canvas, {
        type: "bar",
        data: { labels: labels, datasets: [{ label: section.name, data: section.values, backgroundColor: COLORS }] },
        options: {
          maintainAspectRatio: false,
          animation: false,
          plugins: {
            legend: { display: false },
            tooltip: { callbacks: { label: function (item) { return yen.format(item.parsed.y); } } }
          },
          scales: { y: { beginAtZero: true, ticks: { callback: function (value) { return yen.format(value); } } } }
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

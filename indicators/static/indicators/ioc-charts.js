/* congso operations centre: draw the charts whose data the page carries as JSON.
 *
 * <canvas data-chart="id-of-a-json-script"> ... <script type="application/json" id="...">
 * The same figures are in an HTML table beside every chart, so a phone without JavaScript, a
 * screen reader or a printout loses nothing when no chart is drawn. Chart.js is served by congso
 * itself (node_modules/chart.js/dist through STATICFILES_DIRS): the machines have no internet.
 */
(function () {
  "use strict";

  var STATUS_COLOURS = {
    achieved: "#1b6e20",
    on_track: "#1d4ed8",
    at_risk: "#c98a00",
    not_achieved: "#a3161a",
    no_target: "#8a8a8a",
    no_data: "#8a8a8a"
  };
  var SERIES = ["#a3161a", "#1d4ed8", "#1b6e20", "#8a5a00"];
  var SUFFIX = { percent: "%", money: " đ", days: " ngày", per_100: "/100 dân", points: " điểm", count: "" };

  function formatNumber(value, decimals) {
    if (value === null || value === undefined) return "—";
    return new Intl.NumberFormat("vi-VN", {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals
    }).format(value);
  }

  function build(canvas) {
    if (canvas.dataset.drawn === "1" || typeof window.Chart === "undefined") return;
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    var kiosk = document.body.classList.contains("kiosk");
    var ink = kiosk ? "#f4f6f8" : "#1a1a1a";
    var grid = kiosk ? "#2c3a48" : "#e5e5e5";
    var suffix = SUFFIX[spec.unit] || "";
    var datasets = spec.datasets.map(function (set, index) {
      var colour = SERIES[index % SERIES.length];
      var out = {
        label: set.label,
        data: set.data,
        borderColor: colour,
        backgroundColor: colour,
        spanGaps: true
      };
      if (set.kind === "target") {
        out.borderDash = [6, 4];
        out.borderColor = "#555";
        out.backgroundColor = spec.type === "bar" ? "rgba(120,120,120,0.35)" : "#555";
        out.pointRadius = 0;
      }
      if (set.statuses) {
        out.backgroundColor = set.statuses.map(function (s) { return STATUS_COLOURS[s] || colour; });
      }
      return out;
    });
    canvas.dataset.drawn = "1";
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { labels: { color: ink } },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                return ctx.dataset.label + ": " + formatNumber(ctx.parsed[spec.horizontal ? "x" : "y"], spec.decimals) + suffix;
              }
            }
          }
        },
        scales: {
          x: { ticks: { color: ink }, grid: { color: grid }, beginAtZero: spec.type === "bar" && !!spec.horizontal },
          y: { ticks: { color: ink }, grid: { color: grid }, beginAtZero: spec.type === "bar" && !spec.horizontal }
        }
      }
    });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("canvas[data-chart]").forEach(build);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { drawAll(event.target); });
})();

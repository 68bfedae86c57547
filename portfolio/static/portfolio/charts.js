/* The portfolio's charts, drawn with Chart.js from data the page carries in json_script
   elements: <canvas data-portfolio-chart="bubble|frontier|sensitivity" data-source="ID">.
   No inline script, so the Content-Security-Policy needs no exception. */
(function () {
  "use strict";

  function readData(canvas) {
    var source = document.getElementById(canvas.dataset.source);
    return source ? JSON.parse(source.textContent) : null;
  }

  var palette = ["#0d6efd", "#dc3545", "#198754", "#fd7e14", "#6f42c1", "#20c997",
                 "#d63384", "#6c757d", "#0dcaf0", "#ffc107"];

  function bubble(canvas, data) {
    var largest = Math.max.apply(null, data.points.map(function (p) { return p.budget; }).concat([1]));
    return {
      type: "bubble",
      data: {
        datasets: [{
          label: canvas.dataset.label,
          data: data.points.map(function (p) {
            return { x: p.x, y: p.y, r: 3 + 17 * Math.sqrt(p.budget / largest), label: p.label,
                     budget: p.budget };
          }),
          backgroundColor: "rgba(13, 110, 253, 0.35)",
          borderColor: "#0d6efd"
        }]
      },
      options: {
        animation: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (item) {
                var raw = item.raw;
                return raw.label + ": " + raw.x.toFixed(1) + " / " + raw.y + " · " +
                  raw.budget.toLocaleString(undefined, { maximumFractionDigits: 0 }) + " " +
                  data.currency;
              }
            }
          }
        },
        scales: {
          x: { min: 0, max: 100, title: { display: true, text: canvas.dataset.xLabel } },
          y: { min: 0, max: 6, ticks: { stepSize: 1 },
               title: { display: true, text: canvas.dataset.yLabel } }
        }
      }
    };
  }

  function frontier(canvas, data) {
    return {
      type: "line",
      data: {
        labels: data.costs.map(function (cost) {
          return cost.toLocaleString(undefined, { maximumFractionDigits: 0 });
        }),
        datasets: [{
          label: canvas.dataset.label,
          data: data.values,
          borderColor: "#0d6efd",
          backgroundColor: "#0d6efd",
          stepped: false,
          tension: 0
        }]
      },
      options: {
        animation: false,
        scales: {
          x: { title: { display: true, text: canvas.dataset.xLabel } },
          y: { beginAtZero: true, title: { display: true, text: canvas.dataset.yLabel } }
        }
      }
    };
  }

  function sensitivity(canvas, data) {
    return {
      type: "line",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (series, index) {
          var colour = palette[index % palette.length];
          return { label: series.label, data: series.data, borderColor: colour,
                   backgroundColor: colour, tension: 0, pointRadius: 2 };
        })
      },
      options: {
        animation: false,
        scales: {
          x: { title: { display: true, text: canvas.dataset.xLabel } },
          y: { min: 0, max: 100, title: { display: true, text: canvas.dataset.yLabel } }
        }
      }
    };
  }

  var builders = { bubble: bubble, frontier: frontier, sensitivity: sensitivity };

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-portfolio-chart]").forEach(function (canvas) {
      var data = readData(canvas);
      var build = builders[canvas.dataset.portfolioChart];
      if (data && build) { new Chart(canvas, build(canvas, data)); }
    });
  });
})();

/* The risk charts, drawn with Chart.js from data the page carries in json_script elements:
   <canvas data-risk-chart="histogram|curve|exposure" data-source="ID" data-series="...">.
   No inline script, so the Content-Security-Policy needs no exception. */
(function () {
  "use strict";

  function readData(canvas) {
    var source = document.getElementById(canvas.dataset.source);
    return source ? JSON.parse(source.textContent) : null;
  }

  function number(value) {
    return Number(value).toLocaleString(undefined, { maximumFractionDigits: 0 });
  }

  function histogram(canvas, data) {
    var series = data[canvas.dataset.series];
    return {
      type: "bar",
      data: {
        labels: series.centres.map(number),
        datasets: [{ label: canvas.dataset.label, data: series.shares,
                     backgroundColor: "rgba(13, 110, 253, 0.6)", borderColor: "#0d6efd" }]
      },
      options: {
        animation: false,
        plugins: { legend: { display: false } },
        scales: {
          x: { title: { display: true, text: canvas.dataset.xLabel } },
          y: { beginAtZero: true, title: { display: true, text: canvas.dataset.yLabel } }
        }
      }
    };
  }

  /* The S-curve's points are percentiles, unevenly spaced in amount: on a linear axis, so that
     its shape shows how the outcomes spread (on a category axis it is always a straight line). */
  function curve(canvas, data) {
    var series = data[canvas.dataset.series];
    var points = series.values.map(function (value, index) {
      return { x: value, y: series.shares[index] };
    });
    return {
      type: "line",
      data: {
        datasets: [{ label: canvas.dataset.label, data: points, borderColor: "#dc3545",
                     backgroundColor: "#dc3545", pointRadius: 0, tension: 0 }]
      },
      options: {
        animation: false,
        plugins: { legend: { display: false } },
        scales: {
          x: { type: "linear", ticks: { callback: number },
               title: { display: true, text: canvas.dataset.xLabel } },
          y: { min: 0, max: 100, title: { display: true, text: canvas.dataset.yLabel } }
        }
      }
    };
  }

  function exposure(canvas, data) {
    return {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: canvas.dataset.emvLabel, data: data.emv, borderColor: "#dc3545",
            backgroundColor: "#dc3545", yAxisID: "y", tension: 0 },
          { label: canvas.dataset.severeLabel, data: data.severe, borderColor: "#0d6efd",
            backgroundColor: "#0d6efd", yAxisID: "y1", tension: 0 }
        ]
      },
      options: {
        animation: false,
        scales: {
          y: { beginAtZero: true, position: "left",
               title: { display: true, text: canvas.dataset.emvLabel } },
          y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false },
                title: { display: true, text: canvas.dataset.severeLabel } }
        }
      }
    };
  }

  var builders = { histogram: histogram, curve: curve, exposure: exposure };

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-risk-chart]").forEach(function (canvas) {
      var data = readData(canvas);
      var build = builders[canvas.dataset.riskChart];
      if (data && build) { new Chart(canvas, build(canvas, data)); }
    });
  });
})();

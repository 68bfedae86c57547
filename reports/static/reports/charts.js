/* The status-reporting charts, drawn with Chart.js from data the page carries in json_script
   elements: <canvas data-reports-chart="scurve|trend|scatter" data-source="ID">.
   No inline script, so the Content-Security-Policy needs no exception. */
(function () {
  "use strict";

  var RAG_COLOURS = { green: "#198754", amber: "#ffc107", red: "#dc3545" };

  function readData(canvas) {
    var source = document.getElementById(canvas.dataset.source);
    return source ? JSON.parse(source.textContent) : null;
  }

  function money(value, currency) {
    return value.toLocaleString(undefined, { maximumFractionDigits: 0 }) + " " + (currency || "");
  }

  function scurve(canvas, data) {
    function series(label, values, colour, dash) {
      return { label: label, data: values, borderColor: colour, backgroundColor: colour,
               borderDash: dash || [], spanGaps: true, tension: 0, pointRadius: 2 };
    }
    return {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          series(canvas.dataset.pvLabel, data.pv, "#0d6efd", [6, 4]),
          series(canvas.dataset.evLabel, data.ev, "#198754"),
          series(canvas.dataset.acLabel, data.ac, "#dc3545")
        ]
      },
      options: {
        animation: false,
        plugins: {
          tooltip: { callbacks: { label: function (item) {
            return item.dataset.label + ": " + money(item.parsed.y, data.currency);
          } } }
        },
        scales: { y: { beginAtZero: true, title: { display: true, text: data.currency } } }
      }
    };
  }

  function trend(canvas, data) {
    return {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: ["green", "amber", "red"].map(function (rag) {
          return { label: data.names[rag], data: data.series[rag],
                   backgroundColor: RAG_COLOURS[rag] };
        })
      },
      options: {
        animation: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true,
                                             ticks: { precision: 0 } } }
      }
    };
  }

  function scatter(canvas, data) {
    return {
      type: "scatter",
      data: {
        datasets: ["green", "amber", "red"].map(function (rag) {
          return {
            label: canvas.dataset[rag + "Label"],
            data: data.points.filter(function (p) { return p.rag === rag; }),
            backgroundColor: RAG_COLOURS[rag],
            borderColor: "#212529",
            borderWidth: 0.5,
            pointRadius: 4
          };
        })
      },
      options: {
        animation: false,
        onClick: function (event, elements, chart) {
          if (!elements.length || !canvas.dataset.urlTemplate) { return; }
          var point = chart.data.datasets[elements[0].datasetIndex].data[elements[0].index];
          window.location.href = canvas.dataset.urlTemplate.replace("/0/", "/" + point.id + "/");
        },
        plugins: {
          tooltip: { callbacks: { label: function (item) {
            var p = item.raw;
            return p.label + ": SPI " + p.x.toFixed(2) + ", CPI " + p.y.toFixed(2);
          } } }
        },
        scales: {
          x: { title: { display: true, text: "SPI" }, suggestedMin: 0.5, suggestedMax: 1.5 },
          y: { title: { display: true, text: "CPI" }, suggestedMin: 0.5, suggestedMax: 1.5 }
        }
      }
    };
  }

  var BUILDERS = { scurve: scurve, trend: trend, scatter: scatter };

  function draw() {
    if (typeof window.Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-reports-chart]").forEach(function (canvas) {
      var build = BUILDERS[canvas.dataset.reportsChart];
      var data = readData(canvas);
      if (build && data) { new window.Chart(canvas, build(canvas, data)); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

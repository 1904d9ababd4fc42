/* The dashboard's charts (templates/reports/dashboard.html), drawn with the vendored Apache ECharts from
   the JSON the page carries ({{ charts|json_script:"dashboard-charts" }}): no inline script, as the CSP
   requires. A bar, slice or step that names a page opens it: the list behind the number, or the
   dashboard of the region it stands for. The same numbers are in the page's tables without JavaScript. */
(function () {
  "use strict";

  var source = document.getElementById("dashboard-charts");
  if (!source || typeof window.echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  // ECharts' own words (axis, legend, toolbox) in the page's language: zh-hans → ZH, else EN.
  var locale = (document.documentElement.lang || "").toLowerCase().indexOf("zh") === 0 ? "ZH" : "EN";
  var palette = ["#b5121b", "#e4812f", "#f2c14e", "#5b8e7d", "#3a6ea5", "#7a5c99", "#8c8c8c"];
  var narrow = window.matchMedia("(max-width: 575.98px)");
  // Category names beside a horizontal axis: cut short on a phone, in full on hover (tooltip).
  var axisLabel = { width: narrow.matches ? 90 : 160, overflow: "truncate" };

  function common(extra) {
    var option = {
      color: palette,
      animationDuration: 400,
      // Drawn on the canvas rather than as HTML, so no inline style attribute meets the CSP.
      tooltip: { renderMode: "richText", confine: true },
      grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true }
    };
    return Object.assign(option, extra);
  }

  function names(items) {
    return items.map(function (item) { return item.name; });
  }

  function linked(items, value) {
    return items.map(function (item) {
      return { value: value ? value(item) : item.value, url: item.url, name: item.name };
    });
  }

  // A horizontal bar per item, first item on top; long category names stay readable on a phone.
  function categories(items) {
    return { type: "category", inverse: true, data: names(items), axisLabel: axisLabel, triggerEvent: true };
  }

  function horizontalBars(items) {
    return common({
      tooltip: { renderMode: "richText", confine: true, trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: categories(items),
      series: [
        { type: "bar", data: linked(items), label: { show: true, position: "right" }, barMaxWidth: 22 }
      ]
    });
  }

  var builders = {
    // The certification funnel: one bar per step, 1 on top, each step in its own colour.
    funnel: function (items) {
      var option = horizontalBars(items);
      option.series[0].colorBy = "data";
      return option;
    },
    stages: function (items) {
      return horizontalBars(items);
    },
    children: function (items) {
      return horizontalBars(items);
    },
    reserves: function (reserves) {
      var items = reserves.items;
      return common({
        tooltip: { renderMode: "richText", confine: true, trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { top: 0 },
        grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
        color: ["#5b8e7d", "#e4812f"],
        xAxis: { type: "value", minInterval: 1 },
        yAxis: categories(items),
        series: reserves.series.map(function (name, index) {
          return {
            name: name,
            type: "bar",
            stack: "villages",
            barMaxWidth: 22,
            data: linked(items, function (item) { return item.values[index]; })
          };
        })
      });
    },
    trend: function (trend) {
      return common({
        tooltip: { renderMode: "richText", confine: true, trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: trend.years },
        yAxis: { type: "value", minInterval: 1 },
        series: trend.series.map(function (line) {
          return { name: line.name, type: "bar", data: line.values, barMaxWidth: 18 };
        })
      });
    },
    sources: function (items) {
      return common({
        tooltip: { renderMode: "richText", confine: true, trigger: "item", formatter: "{b}: {c} ({d}%)" },
        legend: { type: "scroll", bottom: 0 },
        series: [{
          type: "pie",
          radius: ["35%", "65%"],
          center: ["50%", "45%"],
          avoidLabelOverlap: true,
          label: { show: !narrow.matches, formatter: "{b}: {c}" },
          data: linked(items).filter(function (item) { return item.value > 0; })
        }]
      });
    }
  };

  // How many category rows a chart draws: its container grows with them.
  function rows(key) {
    if (key === "children") {
      return data.children.length;
    }
    if (key === "reserves") {
      return data.reserves.items.length;
    }
    return 0;
  }

  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var key = element.getAttribute("data-chart");
    if (!builders[key] || data[key] === undefined) {
      return;
    }
    element.classList.add("is-drawn");
    var count = rows(key);
    if (count > 8) {
      element.style.height = (count * 1.75 + 4) + "rem";
    }
    var chart = window.echarts.init(element, null, { locale: locale, renderer: "canvas" });
    chart.setOption(builders[key](data[key]));
    // The page of each category, for a click on its name beside the axis (a bar of 0 has no area).
    var items = Array.isArray(data[key]) ? data[key] : data[key].items || [];
    var byName = {};
    items.forEach(function (item) { byName[item.name] = item.url; });
    chart.on("click", function (params) {
      var url = params.componentType === "yAxis" ? byName[params.value] : params.data && params.data.url;
      if (url) {
        window.location.assign(url);
      }
    });
    charts.push(chart);
  });

  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      charts.forEach(function (chart) { chart.resize(); });
    }, 100);
  });
})();

/* Timeline brush: drag across bars to set the From and To filters, then apply them.
 *
 * Each bar is also a link to its own date range, so a click, a tap or the keyboard (Tab, Enter)
 * filters without this script; the brush only adds ranges of several bars.
 */
(function () {
  "use strict";

  var MIN_DRAG_UNITS = 6; // a shorter drag is a click on a bar

  function toViewBox(svg, event) {
    var point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    return point.matrixTransform(svg.getScreenCTM().inverse());
  }

  function setup(svg) {
    var form = document.getElementById("filters");
    var since = document.getElementById("filter-since");
    var until = document.getElementById("filter-until");
    var brush = document.getElementById("timeline-brush");
    if (!form || !since || !until || !brush) return;
    var bars = Array.prototype.slice.call(svg.querySelectorAll("a.bar-link[data-since]")).filter(function (link) {
      return link.getAttribute("data-since");
    });
    var start = null;
    var dragged = false;

    function selected(x0, x1) {
      var low = Math.min(x0, x1);
      var high = Math.max(x0, x1);
      return bars.filter(function (link) {
        var rect = link.querySelector("rect.bar");
        var x = parseFloat(rect.getAttribute("x"));
        var width = parseFloat(rect.getAttribute("width"));
        return x + width >= low && x <= high;
      });
    }

    svg.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      start = toViewBox(svg, event).x;
      dragged = false;
    });
    svg.addEventListener("pointermove", function (event) {
      if (start === null) return;
      var x = toViewBox(svg, event).x;
      if (Math.abs(x - start) < MIN_DRAG_UNITS) return;
      dragged = true;
      svg.setPointerCapture(event.pointerId);
      brush.setAttribute("x", String(Math.min(start, x)));
      brush.setAttribute("width", String(Math.abs(x - start)));
    });
    svg.addEventListener("pointerup", function (event) {
      if (start === null) return;
      var x = toViewBox(svg, event).x;
      var chosen = dragged ? selected(start, x) : [];
      start = null;
      if (!chosen.length) {
        brush.setAttribute("width", "0");
        return;
      }
      since.value = chosen[0].getAttribute("data-since");
      until.value = chosen[chosen.length - 1].getAttribute("data-until");
      form.submit();
    });
    // A drag ends over a bar link; its click must not navigate to that one bar.
    svg.addEventListener("click", function (event) {
      if (dragged) {
        event.preventDefault();
        dragged = false;
      }
    }, true);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var svg = document.getElementById("timeline");
    if (!svg) return;
    setup(svg);
    // On a narrow screen the chart scrolls sideways: start at its latest end and the undated bar.
    var box = svg.parentElement;
    if (box && box.scrollWidth > box.clientWidth) box.scrollLeft = box.scrollWidth;
  });
})();

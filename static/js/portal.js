// The portal's own behaviour, kept small: pages work without it.
document.addEventListener("change", (event) => {
  // Filter forms submit as soon as a choice changes.
  const form = event.target.closest("form[data-autosubmit]");
  if (form && event.target.tagName === "SELECT") {
    form.requestSubmit();
  }
});

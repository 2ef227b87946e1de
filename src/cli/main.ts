// STUB (to be written): the `mailpolicy` command.
console.log("mailpolicy: not implemented yet");

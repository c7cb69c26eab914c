import {
  runCli
} from "./chunk-OSXTZ2SE.js";
import {
  EXIT
} from "./chunk-EBIUNHAN.js";
export {
  EXIT,
  runCli
};

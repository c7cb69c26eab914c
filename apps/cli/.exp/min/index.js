import{a as r}from"./chunk-OAYB4VBB.js";import{c as o}from"./chunk-UR7CLJBH.js";export{o as EXIT,r as runCli};

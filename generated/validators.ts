/* Generated from schema/ by `npm run generate` (scripts/generate-validators.mjs). Do not edit. */
// @ts-nocheck
import ucs2lengthModule from 'ajv/dist/runtime/ucs2length.js';
import { FORMATS as formats } from '../src/schema-formats.js';

const ucs2length = ucs2lengthModule.default;
/** The formats this code calls. */
export const FORMAT_NAMES = ["pep440-specifier","pep440-version","pep508-name","pep508-requirement"];
export const pycontainer = validate10;
const schema11 = {"$schema":"http://json-schema.org/draft-07/schema#","$id":"https://unpkg.com/pycontainer/schema/pycontainer.schema.json","type":"object","additionalProperties":false,"properties":{"annotations_from_git":{"$ref":"#/definitions/build/properties/annotations_from_git"},"base_image":{"$ref":"#/definitions/build/properties/base_image"},"build":{"$ref":"#/definitions/build"},"cache":{"$ref":"#/definitions/build/properties/cache"},"cache_dir":{"$ref":"#/definitions/build/properties/cache_dir"},"cache_from":{"$ref":"#/definitions/build/properties/cache_from"},"cmd":{"$ref":"#/definitions/build/properties/cmd"},"compile_bytecode":{"$ref":"#/definitions/build/properties/compile_bytecode"},"context_dir":{"$ref":"#/definitions/build/properties/context_dir"},"dependency_groups":{"$ref":"#/definitions/build/properties/dependency_groups"},"dry_run":{"$ref":"#/definitions/build/properties/dry_run"},"entrypoint":{"$ref":"#/definitions/build/properties/entrypoint"},"env":{"$ref":"#/definitions/build/properties/env"},"exclude":{"$ref":"#/definitions/build/properties/exclude"},"exposed_ports":{"$ref":"#/definitions/build/properties/exposed_ports"},"extras":{"$ref":"#/definitions/build/properties/extras"},"generate_sbom":{"$ref":"#/definitions/build/properties/generate_sbom"},"include_deps":{"$ref":"#/definitions/build/properties/include_deps"},"include_paths":{"$ref":"#/definitions/build/properties/include_paths"},"labels":{"$ref":"#/definitions/build/properties/labels"},"layers":{"$ref":"#/definitions/build/properties/layers"},"max_cache_size_mb":{"$ref":"#/definitions/build/properties/max_cache_size_mb"},"no_cache":{"$ref":"#/definitions/build/properties/no_cache"},"output":{"$ref":"#/definitions/build/properties/output"},"output_dir":{"$ref":"#/definitions/build/properties/output_dir"},"platform":{"$ref":"#/definitions/build/properties/platform"},"platforms":{"$ref":"#/definitions/build/properties/platforms"},"push":{"$ref":"#/definitions/build/properties/push"},"registry":{"anyOf":[{"$ref":"#/definitions/registry"},{"$ref":"#/definitions/registry/properties/url"}]},"reproducible":{"$ref":"#/definitions/build/properties/reproducible"},"requirements":{"$ref":"#/definitions/build/properties/requirements"},"requirements_file":{"$ref":"#/definitions/build/properties/requirements_file"},"sbom":{"$ref":"#/definitions/build/properties/sbom"},"tag":{"$ref":"#/definitions/build/properties/tag"},"tags":{"$ref":"#/definitions/build/properties/tags"},"use_cache":{"$ref":"#/definitions/build/properties/use_cache"},"user":{"$ref":"#/definitions/build/properties/user"},"verbose":{"$ref":"#/definitions/build/properties/verbose"},"workdir":{"$ref":"#/definitions/build/properties/workdir"},"writable":{"$ref":"#/definitions/build/properties/writable"}},"definitions":{"build":{"type":"object","additionalProperties":false,"properties":{"base_image":{"type":"string","minLength":1},"workdir":{"type":"string","pattern":"^/(?!(?:.*/)?\\.\\.(?:/|$))"},"include_deps":{"type":"boolean"},"dependency_groups":{"type":"array","items":{"type":"string","minLength":1},"uniqueItems":true},"extras":{"type":"array","items":{"type":"string","minLength":1},"uniqueItems":true},"reproducible":{"type":"boolean"},"compile_bytecode":{"type":"boolean"},"entrypoint":{"type":"array","items":{"type":"string","minLength":1},"minItems":1},"cmd":{"type":"array","items":{"type":"string"}},"user":{"type":"string","minLength":1,"pattern":"^(?:[A-Za-z_][A-Za-z0-9_.-]*\\$?|[0-9]+)(?::(?:[A-Za-z_][A-Za-z0-9_.-]*\\$?|[0-9]+))?$"},"writable":{"type":"array","items":{"type":"string","minLength":1}},"exposed_ports":{"type":"array","items":{"anyOf":[{"type":"integer","minimum":1,"maximum":65535},{"type":"string","pattern":"^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])(/(tcp|udp|sctp))?$"}]}},"include_paths":{"type":"array","items":{"type":"string","minLength":1}},"exclude":{"type":"array","items":{"type":"string","minLength":1}},"layers":{"anyOf":[{"type":"string","enum":["auto","single"]},{"type":"object","additionalProperties":false,"properties":{"strategy":{"type":"string","enum":["auto","single"]},"large_file":{"anyOf":[{"type":"integer","minimum":0},{"type":"string","pattern":"^[0-9]+(\\.[0-9]+)?\\s*([kKMG]i?B|B)?$"}]},"large_package":{"anyOf":[{"type":"integer","minimum":0},{"type":"string","pattern":"^[0-9]+(\\.[0-9]+)?\\s*([kKMG]i?B|B)?$"}]},"max":{"type":"integer","minimum":4,"maximum":100}}}]},"platform":{"type":"string","pattern":"^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$"},"platforms":{"type":"array","minItems":1,"items":{"type":"string","pattern":"^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$"}},"tag":{"type":"string","minLength":1},"tags":{"type":"array","items":{"type":"string","minLength":1}},"output":{"type":"string","minLength":1},"requirements":{"type":"string","minLength":1},"sbom":{"type":"string","enum":["spdx","cyclonedx"]},"cache":{"type":"boolean"},"cache_dir":{"type":"string","minLength":1},"cache_from":{"type":"array","items":{"type":"string","minLength":1},"uniqueItems":true},"env":{"type":"object","propertyNames":{"pattern":"^[A-Za-z_][A-Za-z0-9_]*$"},"additionalProperties":{"type":"string"}},"labels":{"type":"object","additionalProperties":{"anyOf":[{"type":"string"},{"$ref":"#/definitions/build/properties/labels"}]}},"annotations_from_git":{"type":"boolean"},"push":{"type":"boolean"},"verbose":{"type":"boolean"},"dry_run":{"type":"boolean"},"output_dir":{"type":"string","minLength":1},"use_cache":{"type":"boolean"},"no_cache":{"type":"boolean"},"requirements_file":{"type":"string","minLength":1},"generate_sbom":{"anyOf":[{"type":"boolean"},{"type":"string","enum":["spdx","cyclonedx"]}]},"max_cache_size_mb":{"type":"integer","minimum":0},"context_dir":{"type":"string","enum":[".","./"]}}},"registry":{"type":"object","additionalProperties":false,"properties":{"url":{"type":"string","minLength":1},"username":{"type":"string","minLength":1},"insecure":{"type":"boolean"}}}}};
const schema21 = {"type":"string","enum":[".","./"]};
const schema29 = {"anyOf":[{"type":"boolean"},{"type":"string","enum":["spdx","cyclonedx"]}]};
const schema32 = {"anyOf":[{"type":"string","enum":["auto","single"]},{"type":"object","additionalProperties":false,"properties":{"strategy":{"type":"string","enum":["auto","single"]},"large_file":{"anyOf":[{"type":"integer","minimum":0},{"type":"string","pattern":"^[0-9]+(\\.[0-9]+)?\\s*([kKMG]i?B|B)?$"}]},"large_package":{"anyOf":[{"type":"integer","minimum":0},{"type":"string","pattern":"^[0-9]+(\\.[0-9]+)?\\s*([kKMG]i?B|B)?$"}]},"max":{"type":"integer","minimum":4,"maximum":100}}}]};
const schema45 = {"type":"string","enum":["spdx","cyclonedx"]};
const func2 = Object.prototype.hasOwnProperty;
const func3 = ucs2length;
const schema14 = {"type":"object","additionalProperties":false,"properties":{"base_image":{"type":"string","minLength":1},"workdir":{"type":"string","pattern":"^/(?!(?:.*/)?\\.\\.(?:/|$))"},"include_deps":{"type":"boolean"},"dependency_groups":{"type":"array","items":{"type":"string","minLength":1},"uniqueItems":true},"extras":{"type":"array","items":{"type":"string","minLength":1},"uniqueItems":true},"reproducible":{"type":"boolean"},"compile_bytecode":{"type":"boolean"},"entrypoint":{"type":"array","items":{"type":"string","minLength":1},"minItems":1},"cmd":{"type":"array","items":{"type":"string"}},"user":{"type":"string","minLength":1,"pattern":"^(?:[A-Za-z_][A-Za-z0-9_.-]*\\$?|[0-9]+)(?::(?:[A-Za-z_][A-Za-z0-9_.-]*\\$?|[0-9]+))?$"},"writable":{"type":"array","items":{"type":"string","minLength":1}},"exposed_ports":{"type":"array","items":{"anyOf":[{"type":"integer","minimum":1,"maximum":65535},{"type":"string","pattern":"^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])(/(tcp|udp|sctp))?$"}]}},"include_paths":{"type":"array","items":{"type":"string","minLength":1}},"exclude":{"type":"array","items":{"type":"string","minLength":1}},"layers":{"anyOf":[{"type":"string","enum":["auto","single"]},{"type":"object","additionalProperties":false,"properties":{"strategy":{"type":"string","enum":["auto","single"]},"large_file":{"anyOf":[{"type":"integer","minimum":0},{"type":"string","pattern":"^[0-9]+(\\.[0-9]+)?\\s*([kKMG]i?B|B)?$"}]},"large_package":{"anyOf":[{"type":"integer","minimum":0},{"type":"string","pattern":"^[0-9]+(\\.[0-9]+)?\\s*([kKMG]i?B|B)?$"}]},"max":{"type":"integer","minimum":4,"maximum":100}}}]},"platform":{"type":"string","pattern":"^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$"},"platforms":{"type":"array","minItems":1,"items":{"type":"string","pattern":"^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$"}},"tag":{"type":"string","minLength":1},"tags":{"type":"array","items":{"type":"string","minLength":1}},"output":{"type":"string","minLength":1},"requirements":{"type":"string","minLength":1},"sbom":{"type":"string","enum":["spdx","cyclonedx"]},"cache":{"type":"boolean"},"cache_dir":{"type":"string","minLength":1},"cache_from":{"type":"array","items":{"type":"string","minLength":1},"uniqueItems":true},"env":{"type":"object","propertyNames":{"pattern":"^[A-Za-z_][A-Za-z0-9_]*$"},"additionalProperties":{"type":"string"}},"labels":{"type":"object","additionalProperties":{"anyOf":[{"type":"string"},{"$ref":"#/definitions/build/properties/labels"}]}},"annotations_from_git":{"type":"boolean"},"push":{"type":"boolean"},"verbose":{"type":"boolean"},"dry_run":{"type":"boolean"},"output_dir":{"type":"string","minLength":1},"use_cache":{"type":"boolean"},"no_cache":{"type":"boolean"},"requirements_file":{"type":"string","minLength":1},"generate_sbom":{"anyOf":[{"type":"boolean"},{"type":"string","enum":["spdx","cyclonedx"]}]},"max_cache_size_mb":{"type":"integer","minimum":0},"context_dir":{"type":"string","enum":[".","./"]}}};
const pattern0 = new RegExp("^/(?!(?:.*/)?\\.\\.(?:/|$))", "u");
const pattern1 = new RegExp("^(?:[A-Za-z_][A-Za-z0-9_.-]*\\$?|[0-9]+)(?::(?:[A-Za-z_][A-Za-z0-9_.-]*\\$?|[0-9]+))?$", "u");
const pattern2 = new RegExp("^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])(/(tcp|udp|sctp))?$", "u");
const pattern3 = new RegExp("^[0-9]+(\\.[0-9]+)?\\s*([kKMG]i?B|B)?$", "u");
const pattern5 = new RegExp("^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$", "u");
const pattern7 = new RegExp("^[A-Za-z_][A-Za-z0-9_]*$", "u");
const wrapper0 = {validate: validate12};

function validate12(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
for(const key0 in data){
let data0 = data[key0];
const _errs3 = errors;
let valid1 = false;
const _errs4 = errors;
if(typeof data0 !== "string"){
const err0 = {instancePath:instancePath+"/" + key0.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/additionalProperties/anyOf/0/type",keyword:"type",params:{type: "string"},message:"must be string",data:data0};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
var _valid0 = _errs4 === errors;
valid1 = valid1 || _valid0;
if(!valid1){
const _errs6 = errors;
if(!(wrapper0.validate(data0, {instancePath:instancePath+"/" + key0.replace(/~/g, "~0").replace(/\//g, "~1"),parentData:data,parentDataProperty:key0,rootData}))){
vErrors = vErrors === null ? wrapper0.validate.errors : vErrors.concat(wrapper0.validate.errors);
errors = vErrors.length;
}
var _valid0 = _errs6 === errors;
valid1 = valid1 || _valid0;
}
if(!valid1){
const err1 = {instancePath:instancePath+"/" + key0.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/additionalProperties/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",data:data0};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
else {
errors = _errs3;
if(vErrors !== null){
if(_errs3){
vErrors.length = _errs3;
}
else {
vErrors = null;
}
}
}
}
}
else {
const err2 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
validate12.errors = vErrors;
return errors === 0;
}


function validate11(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
for(const key0 in data){
if(!(func2.call(schema14.properties, key0))){
const err0 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
if(data.base_image !== undefined){
let data0 = data.base_image;
if(typeof data0 === "string"){
if(func3(data0) < 1){
const err1 = {instancePath:instancePath+"/base_image",schemaPath:"#/properties/base_image/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data0};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
else {
const err2 = {instancePath:instancePath+"/base_image",schemaPath:"#/properties/base_image/type",keyword:"type",params:{type: "string"},message:"must be string",data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.workdir !== undefined){
let data1 = data.workdir;
if(typeof data1 === "string"){
if(!pattern0.test(data1)){
const err3 = {instancePath:instancePath+"/workdir",schemaPath:"#/properties/workdir/pattern",keyword:"pattern",params:{pattern: "^/(?!(?:.*/)?\\.\\.(?:/|$))"},message:"must match pattern \""+"^/(?!(?:.*/)?\\.\\.(?:/|$))"+"\"",data:data1};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
else {
const err4 = {instancePath:instancePath+"/workdir",schemaPath:"#/properties/workdir/type",keyword:"type",params:{type: "string"},message:"must be string",data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.include_deps !== undefined){
let data2 = data.include_deps;
if(typeof data2 !== "boolean"){
const err5 = {instancePath:instancePath+"/include_deps",schemaPath:"#/properties/include_deps/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data2};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.dependency_groups !== undefined){
let data3 = data.dependency_groups;
if(Array.isArray(data3)){
const len0 = data3.length;
for(let i0=0; i0<len0; i0++){
let data4 = data3[i0];
if(typeof data4 === "string"){
if(func3(data4) < 1){
const err6 = {instancePath:instancePath+"/dependency_groups/" + i0,schemaPath:"#/properties/dependency_groups/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data4};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
else {
const err7 = {instancePath:instancePath+"/dependency_groups/" + i0,schemaPath:"#/properties/dependency_groups/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data4};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
let i1 = data3.length;
let j0;
if(i1 > 1){
const indices0 = {};
for(;i1--;){
let item0 = data3[i1];
if(typeof item0 !== "string"){
continue;
}
if(typeof indices0[item0] == "number"){
j0 = indices0[item0];
const err8 = {instancePath:instancePath+"/dependency_groups",schemaPath:"#/properties/dependency_groups/uniqueItems",keyword:"uniqueItems",params:{i: i1, j: j0},message:"must NOT have duplicate items (items ## "+j0+" and "+i1+" are identical)",data:data3};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
break;
}
indices0[item0] = i1;
}
}
}
else {
const err9 = {instancePath:instancePath+"/dependency_groups",schemaPath:"#/properties/dependency_groups/type",keyword:"type",params:{type: "array"},message:"must be array",data:data3};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data.extras !== undefined){
let data5 = data.extras;
if(Array.isArray(data5)){
const len1 = data5.length;
for(let i2=0; i2<len1; i2++){
let data6 = data5[i2];
if(typeof data6 === "string"){
if(func3(data6) < 1){
const err10 = {instancePath:instancePath+"/extras/" + i2,schemaPath:"#/properties/extras/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data6};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
else {
const err11 = {instancePath:instancePath+"/extras/" + i2,schemaPath:"#/properties/extras/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data6};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
let i3 = data5.length;
let j1;
if(i3 > 1){
const indices1 = {};
for(;i3--;){
let item1 = data5[i3];
if(typeof item1 !== "string"){
continue;
}
if(typeof indices1[item1] == "number"){
j1 = indices1[item1];
const err12 = {instancePath:instancePath+"/extras",schemaPath:"#/properties/extras/uniqueItems",keyword:"uniqueItems",params:{i: i3, j: j1},message:"must NOT have duplicate items (items ## "+j1+" and "+i3+" are identical)",data:data5};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
break;
}
indices1[item1] = i3;
}
}
}
else {
const err13 = {instancePath:instancePath+"/extras",schemaPath:"#/properties/extras/type",keyword:"type",params:{type: "array"},message:"must be array",data:data5};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
if(data.reproducible !== undefined){
let data7 = data.reproducible;
if(typeof data7 !== "boolean"){
const err14 = {instancePath:instancePath+"/reproducible",schemaPath:"#/properties/reproducible/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data7};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data.compile_bytecode !== undefined){
let data8 = data.compile_bytecode;
if(typeof data8 !== "boolean"){
const err15 = {instancePath:instancePath+"/compile_bytecode",schemaPath:"#/properties/compile_bytecode/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data8};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
if(data.entrypoint !== undefined){
let data9 = data.entrypoint;
if(Array.isArray(data9)){
if(data9.length < 1){
const err16 = {instancePath:instancePath+"/entrypoint",schemaPath:"#/properties/entrypoint/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",data:data9};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
const len2 = data9.length;
for(let i4=0; i4<len2; i4++){
let data10 = data9[i4];
if(typeof data10 === "string"){
if(func3(data10) < 1){
const err17 = {instancePath:instancePath+"/entrypoint/" + i4,schemaPath:"#/properties/entrypoint/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data10};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
else {
const err18 = {instancePath:instancePath+"/entrypoint/" + i4,schemaPath:"#/properties/entrypoint/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data10};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
}
else {
const err19 = {instancePath:instancePath+"/entrypoint",schemaPath:"#/properties/entrypoint/type",keyword:"type",params:{type: "array"},message:"must be array",data:data9};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
if(data.cmd !== undefined){
let data11 = data.cmd;
if(Array.isArray(data11)){
const len3 = data11.length;
for(let i5=0; i5<len3; i5++){
let data12 = data11[i5];
if(typeof data12 !== "string"){
const err20 = {instancePath:instancePath+"/cmd/" + i5,schemaPath:"#/properties/cmd/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data12};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
}
else {
const err21 = {instancePath:instancePath+"/cmd",schemaPath:"#/properties/cmd/type",keyword:"type",params:{type: "array"},message:"must be array",data:data11};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
if(data.user !== undefined){
let data13 = data.user;
if(typeof data13 === "string"){
if(func3(data13) < 1){
const err22 = {instancePath:instancePath+"/user",schemaPath:"#/properties/user/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data13};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
if(!pattern1.test(data13)){
const err23 = {instancePath:instancePath+"/user",schemaPath:"#/properties/user/pattern",keyword:"pattern",params:{pattern: "^(?:[A-Za-z_][A-Za-z0-9_.-]*\\$?|[0-9]+)(?::(?:[A-Za-z_][A-Za-z0-9_.-]*\\$?|[0-9]+))?$"},message:"must match pattern \""+"^(?:[A-Za-z_][A-Za-z0-9_.-]*\\$?|[0-9]+)(?::(?:[A-Za-z_][A-Za-z0-9_.-]*\\$?|[0-9]+))?$"+"\"",data:data13};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
else {
const err24 = {instancePath:instancePath+"/user",schemaPath:"#/properties/user/type",keyword:"type",params:{type: "string"},message:"must be string",data:data13};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
if(data.writable !== undefined){
let data14 = data.writable;
if(Array.isArray(data14)){
const len4 = data14.length;
for(let i6=0; i6<len4; i6++){
let data15 = data14[i6];
if(typeof data15 === "string"){
if(func3(data15) < 1){
const err25 = {instancePath:instancePath+"/writable/" + i6,schemaPath:"#/properties/writable/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data15};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
else {
const err26 = {instancePath:instancePath+"/writable/" + i6,schemaPath:"#/properties/writable/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data15};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
}
else {
const err27 = {instancePath:instancePath+"/writable",schemaPath:"#/properties/writable/type",keyword:"type",params:{type: "array"},message:"must be array",data:data14};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
if(data.exposed_ports !== undefined){
let data16 = data.exposed_ports;
if(Array.isArray(data16)){
const len5 = data16.length;
for(let i7=0; i7<len5; i7++){
let data17 = data16[i7];
const _errs37 = errors;
let valid15 = false;
const _errs38 = errors;
if(!((typeof data17 == "number") && (!(data17 % 1) && !isNaN(data17)))){
const err28 = {instancePath:instancePath+"/exposed_ports/" + i7,schemaPath:"#/properties/exposed_ports/items/anyOf/0/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data17};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
if(typeof data17 == "number"){
if(data17 > 65535 || isNaN(data17)){
const err29 = {instancePath:instancePath+"/exposed_ports/" + i7,schemaPath:"#/properties/exposed_ports/items/anyOf/0/maximum",keyword:"maximum",params:{comparison: "<=", limit: 65535},message:"must be <= 65535",data:data17};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
if(data17 < 1 || isNaN(data17)){
const err30 = {instancePath:instancePath+"/exposed_ports/" + i7,schemaPath:"#/properties/exposed_ports/items/anyOf/0/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",data:data17};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
var _valid0 = _errs38 === errors;
valid15 = valid15 || _valid0;
if(!valid15){
const _errs40 = errors;
if(typeof data17 === "string"){
if(!pattern2.test(data17)){
const err31 = {instancePath:instancePath+"/exposed_ports/" + i7,schemaPath:"#/properties/exposed_ports/items/anyOf/1/pattern",keyword:"pattern",params:{pattern: "^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])(/(tcp|udp|sctp))?$"},message:"must match pattern \""+"^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])(/(tcp|udp|sctp))?$"+"\"",data:data17};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
else {
const err32 = {instancePath:instancePath+"/exposed_ports/" + i7,schemaPath:"#/properties/exposed_ports/items/anyOf/1/type",keyword:"type",params:{type: "string"},message:"must be string",data:data17};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
var _valid0 = _errs40 === errors;
valid15 = valid15 || _valid0;
}
if(!valid15){
const err33 = {instancePath:instancePath+"/exposed_ports/" + i7,schemaPath:"#/properties/exposed_ports/items/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",data:data17};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
else {
errors = _errs37;
if(vErrors !== null){
if(_errs37){
vErrors.length = _errs37;
}
else {
vErrors = null;
}
}
}
}
}
else {
const err34 = {instancePath:instancePath+"/exposed_ports",schemaPath:"#/properties/exposed_ports/type",keyword:"type",params:{type: "array"},message:"must be array",data:data16};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
if(data.include_paths !== undefined){
let data18 = data.include_paths;
if(Array.isArray(data18)){
const len6 = data18.length;
for(let i8=0; i8<len6; i8++){
let data19 = data18[i8];
if(typeof data19 === "string"){
if(func3(data19) < 1){
const err35 = {instancePath:instancePath+"/include_paths/" + i8,schemaPath:"#/properties/include_paths/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data19};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
else {
const err36 = {instancePath:instancePath+"/include_paths/" + i8,schemaPath:"#/properties/include_paths/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data19};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
}
}
else {
const err37 = {instancePath:instancePath+"/include_paths",schemaPath:"#/properties/include_paths/type",keyword:"type",params:{type: "array"},message:"must be array",data:data18};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
}
if(data.exclude !== undefined){
let data20 = data.exclude;
if(Array.isArray(data20)){
const len7 = data20.length;
for(let i9=0; i9<len7; i9++){
let data21 = data20[i9];
if(typeof data21 === "string"){
if(func3(data21) < 1){
const err38 = {instancePath:instancePath+"/exclude/" + i9,schemaPath:"#/properties/exclude/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data21};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
}
else {
const err39 = {instancePath:instancePath+"/exclude/" + i9,schemaPath:"#/properties/exclude/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data21};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
}
else {
const err40 = {instancePath:instancePath+"/exclude",schemaPath:"#/properties/exclude/type",keyword:"type",params:{type: "array"},message:"must be array",data:data20};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
}
if(data.layers !== undefined){
let data22 = data.layers;
const _errs51 = errors;
let valid20 = false;
const _errs52 = errors;
if(typeof data22 !== "string"){
const err41 = {instancePath:instancePath+"/layers",schemaPath:"#/properties/layers/anyOf/0/type",keyword:"type",params:{type: "string"},message:"must be string",data:data22};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
if(!((data22 === "auto") || (data22 === "single"))){
const err42 = {instancePath:instancePath+"/layers",schemaPath:"#/properties/layers/anyOf/0/enum",keyword:"enum",params:{allowedValues: schema14.properties.layers.anyOf[0].enum},message:"must be equal to one of the allowed values",data:data22};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
var _valid1 = _errs52 === errors;
valid20 = valid20 || _valid1;
if(!valid20){
const _errs54 = errors;
if(data22 && typeof data22 == "object" && !Array.isArray(data22)){
for(const key1 in data22){
if(!((((key1 === "strategy") || (key1 === "large_file")) || (key1 === "large_package")) || (key1 === "max"))){
const err43 = {instancePath:instancePath+"/layers",schemaPath:"#/properties/layers/anyOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",data:data22};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
}
if(data22.strategy !== undefined){
let data23 = data22.strategy;
if(typeof data23 !== "string"){
const err44 = {instancePath:instancePath+"/layers/strategy",schemaPath:"#/properties/layers/anyOf/1/properties/strategy/type",keyword:"type",params:{type: "string"},message:"must be string",data:data23};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
if(!((data23 === "auto") || (data23 === "single"))){
const err45 = {instancePath:instancePath+"/layers/strategy",schemaPath:"#/properties/layers/anyOf/1/properties/strategy/enum",keyword:"enum",params:{allowedValues: schema14.properties.layers.anyOf[1].properties.strategy.enum},message:"must be equal to one of the allowed values",data:data23};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
}
if(data22.large_file !== undefined){
let data24 = data22.large_file;
const _errs60 = errors;
let valid22 = false;
const _errs61 = errors;
if(!((typeof data24 == "number") && (!(data24 % 1) && !isNaN(data24)))){
const err46 = {instancePath:instancePath+"/layers/large_file",schemaPath:"#/properties/layers/anyOf/1/properties/large_file/anyOf/0/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data24};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
if(typeof data24 == "number"){
if(data24 < 0 || isNaN(data24)){
const err47 = {instancePath:instancePath+"/layers/large_file",schemaPath:"#/properties/layers/anyOf/1/properties/large_file/anyOf/0/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",data:data24};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
}
var _valid2 = _errs61 === errors;
valid22 = valid22 || _valid2;
if(!valid22){
const _errs63 = errors;
if(typeof data24 === "string"){
if(!pattern3.test(data24)){
const err48 = {instancePath:instancePath+"/layers/large_file",schemaPath:"#/properties/layers/anyOf/1/properties/large_file/anyOf/1/pattern",keyword:"pattern",params:{pattern: "^[0-9]+(\\.[0-9]+)?\\s*([kKMG]i?B|B)?$"},message:"must match pattern \""+"^[0-9]+(\\.[0-9]+)?\\s*([kKMG]i?B|B)?$"+"\"",data:data24};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
}
else {
const err49 = {instancePath:instancePath+"/layers/large_file",schemaPath:"#/properties/layers/anyOf/1/properties/large_file/anyOf/1/type",keyword:"type",params:{type: "string"},message:"must be string",data:data24};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
var _valid2 = _errs63 === errors;
valid22 = valid22 || _valid2;
}
if(!valid22){
const err50 = {instancePath:instancePath+"/layers/large_file",schemaPath:"#/properties/layers/anyOf/1/properties/large_file/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",data:data24};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
else {
errors = _errs60;
if(vErrors !== null){
if(_errs60){
vErrors.length = _errs60;
}
else {
vErrors = null;
}
}
}
}
if(data22.large_package !== undefined){
let data25 = data22.large_package;
const _errs66 = errors;
let valid23 = false;
const _errs67 = errors;
if(!((typeof data25 == "number") && (!(data25 % 1) && !isNaN(data25)))){
const err51 = {instancePath:instancePath+"/layers/large_package",schemaPath:"#/properties/layers/anyOf/1/properties/large_package/anyOf/0/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data25};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
if(typeof data25 == "number"){
if(data25 < 0 || isNaN(data25)){
const err52 = {instancePath:instancePath+"/layers/large_package",schemaPath:"#/properties/layers/anyOf/1/properties/large_package/anyOf/0/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",data:data25};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
}
var _valid3 = _errs67 === errors;
valid23 = valid23 || _valid3;
if(!valid23){
const _errs69 = errors;
if(typeof data25 === "string"){
if(!pattern3.test(data25)){
const err53 = {instancePath:instancePath+"/layers/large_package",schemaPath:"#/properties/layers/anyOf/1/properties/large_package/anyOf/1/pattern",keyword:"pattern",params:{pattern: "^[0-9]+(\\.[0-9]+)?\\s*([kKMG]i?B|B)?$"},message:"must match pattern \""+"^[0-9]+(\\.[0-9]+)?\\s*([kKMG]i?B|B)?$"+"\"",data:data25};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
}
else {
const err54 = {instancePath:instancePath+"/layers/large_package",schemaPath:"#/properties/layers/anyOf/1/properties/large_package/anyOf/1/type",keyword:"type",params:{type: "string"},message:"must be string",data:data25};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
var _valid3 = _errs69 === errors;
valid23 = valid23 || _valid3;
}
if(!valid23){
const err55 = {instancePath:instancePath+"/layers/large_package",schemaPath:"#/properties/layers/anyOf/1/properties/large_package/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",data:data25};
if(vErrors === null){
vErrors = [err55];
}
else {
vErrors.push(err55);
}
errors++;
}
else {
errors = _errs66;
if(vErrors !== null){
if(_errs66){
vErrors.length = _errs66;
}
else {
vErrors = null;
}
}
}
}
if(data22.max !== undefined){
let data26 = data22.max;
if(!((typeof data26 == "number") && (!(data26 % 1) && !isNaN(data26)))){
const err56 = {instancePath:instancePath+"/layers/max",schemaPath:"#/properties/layers/anyOf/1/properties/max/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data26};
if(vErrors === null){
vErrors = [err56];
}
else {
vErrors.push(err56);
}
errors++;
}
if(typeof data26 == "number"){
if(data26 > 100 || isNaN(data26)){
const err57 = {instancePath:instancePath+"/layers/max",schemaPath:"#/properties/layers/anyOf/1/properties/max/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100",data:data26};
if(vErrors === null){
vErrors = [err57];
}
else {
vErrors.push(err57);
}
errors++;
}
if(data26 < 4 || isNaN(data26)){
const err58 = {instancePath:instancePath+"/layers/max",schemaPath:"#/properties/layers/anyOf/1/properties/max/minimum",keyword:"minimum",params:{comparison: ">=", limit: 4},message:"must be >= 4",data:data26};
if(vErrors === null){
vErrors = [err58];
}
else {
vErrors.push(err58);
}
errors++;
}
}
}
}
else {
const err59 = {instancePath:instancePath+"/layers",schemaPath:"#/properties/layers/anyOf/1/type",keyword:"type",params:{type: "object"},message:"must be object",data:data22};
if(vErrors === null){
vErrors = [err59];
}
else {
vErrors.push(err59);
}
errors++;
}
var _valid1 = _errs54 === errors;
valid20 = valid20 || _valid1;
}
if(!valid20){
const err60 = {instancePath:instancePath+"/layers",schemaPath:"#/properties/layers/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",data:data22};
if(vErrors === null){
vErrors = [err60];
}
else {
vErrors.push(err60);
}
errors++;
}
else {
errors = _errs51;
if(vErrors !== null){
if(_errs51){
vErrors.length = _errs51;
}
else {
vErrors = null;
}
}
}
}
if(data.platform !== undefined){
let data27 = data.platform;
if(typeof data27 === "string"){
if(!pattern5.test(data27)){
const err61 = {instancePath:instancePath+"/platform",schemaPath:"#/properties/platform/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$"},message:"must match pattern \""+"^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$"+"\"",data:data27};
if(vErrors === null){
vErrors = [err61];
}
else {
vErrors.push(err61);
}
errors++;
}
}
else {
const err62 = {instancePath:instancePath+"/platform",schemaPath:"#/properties/platform/type",keyword:"type",params:{type: "string"},message:"must be string",data:data27};
if(vErrors === null){
vErrors = [err62];
}
else {
vErrors.push(err62);
}
errors++;
}
}
if(data.platforms !== undefined){
let data28 = data.platforms;
if(Array.isArray(data28)){
if(data28.length < 1){
const err63 = {instancePath:instancePath+"/platforms",schemaPath:"#/properties/platforms/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",data:data28};
if(vErrors === null){
vErrors = [err63];
}
else {
vErrors.push(err63);
}
errors++;
}
const len8 = data28.length;
for(let i10=0; i10<len8; i10++){
let data29 = data28[i10];
if(typeof data29 === "string"){
if(!pattern5.test(data29)){
const err64 = {instancePath:instancePath+"/platforms/" + i10,schemaPath:"#/properties/platforms/items/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$"},message:"must match pattern \""+"^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$"+"\"",data:data29};
if(vErrors === null){
vErrors = [err64];
}
else {
vErrors.push(err64);
}
errors++;
}
}
else {
const err65 = {instancePath:instancePath+"/platforms/" + i10,schemaPath:"#/properties/platforms/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data29};
if(vErrors === null){
vErrors = [err65];
}
else {
vErrors.push(err65);
}
errors++;
}
}
}
else {
const err66 = {instancePath:instancePath+"/platforms",schemaPath:"#/properties/platforms/type",keyword:"type",params:{type: "array"},message:"must be array",data:data28};
if(vErrors === null){
vErrors = [err66];
}
else {
vErrors.push(err66);
}
errors++;
}
}
if(data.tag !== undefined){
let data30 = data.tag;
if(typeof data30 === "string"){
if(func3(data30) < 1){
const err67 = {instancePath:instancePath+"/tag",schemaPath:"#/properties/tag/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data30};
if(vErrors === null){
vErrors = [err67];
}
else {
vErrors.push(err67);
}
errors++;
}
}
else {
const err68 = {instancePath:instancePath+"/tag",schemaPath:"#/properties/tag/type",keyword:"type",params:{type: "string"},message:"must be string",data:data30};
if(vErrors === null){
vErrors = [err68];
}
else {
vErrors.push(err68);
}
errors++;
}
}
if(data.tags !== undefined){
let data31 = data.tags;
if(Array.isArray(data31)){
const len9 = data31.length;
for(let i11=0; i11<len9; i11++){
let data32 = data31[i11];
if(typeof data32 === "string"){
if(func3(data32) < 1){
const err69 = {instancePath:instancePath+"/tags/" + i11,schemaPath:"#/properties/tags/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data32};
if(vErrors === null){
vErrors = [err69];
}
else {
vErrors.push(err69);
}
errors++;
}
}
else {
const err70 = {instancePath:instancePath+"/tags/" + i11,schemaPath:"#/properties/tags/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data32};
if(vErrors === null){
vErrors = [err70];
}
else {
vErrors.push(err70);
}
errors++;
}
}
}
else {
const err71 = {instancePath:instancePath+"/tags",schemaPath:"#/properties/tags/type",keyword:"type",params:{type: "array"},message:"must be array",data:data31};
if(vErrors === null){
vErrors = [err71];
}
else {
vErrors.push(err71);
}
errors++;
}
}
if(data.output !== undefined){
let data33 = data.output;
if(typeof data33 === "string"){
if(func3(data33) < 1){
const err72 = {instancePath:instancePath+"/output",schemaPath:"#/properties/output/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data33};
if(vErrors === null){
vErrors = [err72];
}
else {
vErrors.push(err72);
}
errors++;
}
}
else {
const err73 = {instancePath:instancePath+"/output",schemaPath:"#/properties/output/type",keyword:"type",params:{type: "string"},message:"must be string",data:data33};
if(vErrors === null){
vErrors = [err73];
}
else {
vErrors.push(err73);
}
errors++;
}
}
if(data.requirements !== undefined){
let data34 = data.requirements;
if(typeof data34 === "string"){
if(func3(data34) < 1){
const err74 = {instancePath:instancePath+"/requirements",schemaPath:"#/properties/requirements/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data34};
if(vErrors === null){
vErrors = [err74];
}
else {
vErrors.push(err74);
}
errors++;
}
}
else {
const err75 = {instancePath:instancePath+"/requirements",schemaPath:"#/properties/requirements/type",keyword:"type",params:{type: "string"},message:"must be string",data:data34};
if(vErrors === null){
vErrors = [err75];
}
else {
vErrors.push(err75);
}
errors++;
}
}
if(data.sbom !== undefined){
let data35 = data.sbom;
if(typeof data35 !== "string"){
const err76 = {instancePath:instancePath+"/sbom",schemaPath:"#/properties/sbom/type",keyword:"type",params:{type: "string"},message:"must be string",data:data35};
if(vErrors === null){
vErrors = [err76];
}
else {
vErrors.push(err76);
}
errors++;
}
if(!((data35 === "spdx") || (data35 === "cyclonedx"))){
const err77 = {instancePath:instancePath+"/sbom",schemaPath:"#/properties/sbom/enum",keyword:"enum",params:{allowedValues: schema14.properties.sbom.enum},message:"must be equal to one of the allowed values",data:data35};
if(vErrors === null){
vErrors = [err77];
}
else {
vErrors.push(err77);
}
errors++;
}
}
if(data.cache !== undefined){
let data36 = data.cache;
if(typeof data36 !== "boolean"){
const err78 = {instancePath:instancePath+"/cache",schemaPath:"#/properties/cache/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data36};
if(vErrors === null){
vErrors = [err78];
}
else {
vErrors.push(err78);
}
errors++;
}
}
if(data.cache_dir !== undefined){
let data37 = data.cache_dir;
if(typeof data37 === "string"){
if(func3(data37) < 1){
const err79 = {instancePath:instancePath+"/cache_dir",schemaPath:"#/properties/cache_dir/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data37};
if(vErrors === null){
vErrors = [err79];
}
else {
vErrors.push(err79);
}
errors++;
}
}
else {
const err80 = {instancePath:instancePath+"/cache_dir",schemaPath:"#/properties/cache_dir/type",keyword:"type",params:{type: "string"},message:"must be string",data:data37};
if(vErrors === null){
vErrors = [err80];
}
else {
vErrors.push(err80);
}
errors++;
}
}
if(data.cache_from !== undefined){
let data38 = data.cache_from;
if(Array.isArray(data38)){
const len10 = data38.length;
for(let i12=0; i12<len10; i12++){
let data39 = data38[i12];
if(typeof data39 === "string"){
if(func3(data39) < 1){
const err81 = {instancePath:instancePath+"/cache_from/" + i12,schemaPath:"#/properties/cache_from/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data39};
if(vErrors === null){
vErrors = [err81];
}
else {
vErrors.push(err81);
}
errors++;
}
}
else {
const err82 = {instancePath:instancePath+"/cache_from/" + i12,schemaPath:"#/properties/cache_from/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data39};
if(vErrors === null){
vErrors = [err82];
}
else {
vErrors.push(err82);
}
errors++;
}
}
let i13 = data38.length;
let j2;
if(i13 > 1){
const indices2 = {};
for(;i13--;){
let item2 = data38[i13];
if(typeof item2 !== "string"){
continue;
}
if(typeof indices2[item2] == "number"){
j2 = indices2[item2];
const err83 = {instancePath:instancePath+"/cache_from",schemaPath:"#/properties/cache_from/uniqueItems",keyword:"uniqueItems",params:{i: i13, j: j2},message:"must NOT have duplicate items (items ## "+j2+" and "+i13+" are identical)",data:data38};
if(vErrors === null){
vErrors = [err83];
}
else {
vErrors.push(err83);
}
errors++;
break;
}
indices2[item2] = i13;
}
}
}
else {
const err84 = {instancePath:instancePath+"/cache_from",schemaPath:"#/properties/cache_from/type",keyword:"type",params:{type: "array"},message:"must be array",data:data38};
if(vErrors === null){
vErrors = [err84];
}
else {
vErrors.push(err84);
}
errors++;
}
}
if(data.env !== undefined){
let data40 = data.env;
if(data40 && typeof data40 == "object" && !Array.isArray(data40)){
for(const key2 in data40){
const _errs101 = errors;
if(typeof key2 === "string"){
if(!pattern7.test(key2)){
const err85 = {instancePath:instancePath+"/env",schemaPath:"#/properties/env/propertyNames/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z_][A-Za-z0-9_]*$"},message:"must match pattern \""+"^[A-Za-z_][A-Za-z0-9_]*$"+"\"",data:key2,propertyName:key2};
if(vErrors === null){
vErrors = [err85];
}
else {
vErrors.push(err85);
}
errors++;
}
}
var valid31 = _errs101 === errors;
if(!valid31){
const err86 = {instancePath:instancePath+"/env",schemaPath:"#/properties/env/propertyNames",keyword:"propertyNames",params:{propertyName: key2},message:"property name must be valid",data:data40};
if(vErrors === null){
vErrors = [err86];
}
else {
vErrors.push(err86);
}
errors++;
}
}
for(const key3 in data40){
let data41 = data40[key3];
if(typeof data41 !== "string"){
const err87 = {instancePath:instancePath+"/env/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/env/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",data:data41};
if(vErrors === null){
vErrors = [err87];
}
else {
vErrors.push(err87);
}
errors++;
}
}
}
else {
const err88 = {instancePath:instancePath+"/env",schemaPath:"#/properties/env/type",keyword:"type",params:{type: "object"},message:"must be object",data:data40};
if(vErrors === null){
vErrors = [err88];
}
else {
vErrors.push(err88);
}
errors++;
}
}
if(data.labels !== undefined){
let data42 = data.labels;
if(data42 && typeof data42 == "object" && !Array.isArray(data42)){
for(const key4 in data42){
let data43 = data42[key4];
const _errs109 = errors;
let valid34 = false;
const _errs110 = errors;
if(typeof data43 !== "string"){
const err89 = {instancePath:instancePath+"/labels/" + key4.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/labels/additionalProperties/anyOf/0/type",keyword:"type",params:{type: "string"},message:"must be string",data:data43};
if(vErrors === null){
vErrors = [err89];
}
else {
vErrors.push(err89);
}
errors++;
}
var _valid4 = _errs110 === errors;
valid34 = valid34 || _valid4;
if(!valid34){
const _errs112 = errors;
if(!(validate12(data43, {instancePath:instancePath+"/labels/" + key4.replace(/~/g, "~0").replace(/\//g, "~1"),parentData:data42,parentDataProperty:key4,rootData}))){
vErrors = vErrors === null ? validate12.errors : vErrors.concat(validate12.errors);
errors = vErrors.length;
}
var _valid4 = _errs112 === errors;
valid34 = valid34 || _valid4;
}
if(!valid34){
const err90 = {instancePath:instancePath+"/labels/" + key4.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/labels/additionalProperties/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",data:data43};
if(vErrors === null){
vErrors = [err90];
}
else {
vErrors.push(err90);
}
errors++;
}
else {
errors = _errs109;
if(vErrors !== null){
if(_errs109){
vErrors.length = _errs109;
}
else {
vErrors = null;
}
}
}
}
}
else {
const err91 = {instancePath:instancePath+"/labels",schemaPath:"#/properties/labels/type",keyword:"type",params:{type: "object"},message:"must be object",data:data42};
if(vErrors === null){
vErrors = [err91];
}
else {
vErrors.push(err91);
}
errors++;
}
}
if(data.annotations_from_git !== undefined){
let data44 = data.annotations_from_git;
if(typeof data44 !== "boolean"){
const err92 = {instancePath:instancePath+"/annotations_from_git",schemaPath:"#/properties/annotations_from_git/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data44};
if(vErrors === null){
vErrors = [err92];
}
else {
vErrors.push(err92);
}
errors++;
}
}
if(data.push !== undefined){
let data45 = data.push;
if(typeof data45 !== "boolean"){
const err93 = {instancePath:instancePath+"/push",schemaPath:"#/properties/push/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data45};
if(vErrors === null){
vErrors = [err93];
}
else {
vErrors.push(err93);
}
errors++;
}
}
if(data.verbose !== undefined){
let data46 = data.verbose;
if(typeof data46 !== "boolean"){
const err94 = {instancePath:instancePath+"/verbose",schemaPath:"#/properties/verbose/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data46};
if(vErrors === null){
vErrors = [err94];
}
else {
vErrors.push(err94);
}
errors++;
}
}
if(data.dry_run !== undefined){
let data47 = data.dry_run;
if(typeof data47 !== "boolean"){
const err95 = {instancePath:instancePath+"/dry_run",schemaPath:"#/properties/dry_run/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data47};
if(vErrors === null){
vErrors = [err95];
}
else {
vErrors.push(err95);
}
errors++;
}
}
if(data.output_dir !== undefined){
let data48 = data.output_dir;
if(typeof data48 === "string"){
if(func3(data48) < 1){
const err96 = {instancePath:instancePath+"/output_dir",schemaPath:"#/properties/output_dir/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data48};
if(vErrors === null){
vErrors = [err96];
}
else {
vErrors.push(err96);
}
errors++;
}
}
else {
const err97 = {instancePath:instancePath+"/output_dir",schemaPath:"#/properties/output_dir/type",keyword:"type",params:{type: "string"},message:"must be string",data:data48};
if(vErrors === null){
vErrors = [err97];
}
else {
vErrors.push(err97);
}
errors++;
}
}
if(data.use_cache !== undefined){
let data49 = data.use_cache;
if(typeof data49 !== "boolean"){
const err98 = {instancePath:instancePath+"/use_cache",schemaPath:"#/properties/use_cache/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data49};
if(vErrors === null){
vErrors = [err98];
}
else {
vErrors.push(err98);
}
errors++;
}
}
if(data.no_cache !== undefined){
let data50 = data.no_cache;
if(typeof data50 !== "boolean"){
const err99 = {instancePath:instancePath+"/no_cache",schemaPath:"#/properties/no_cache/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data50};
if(vErrors === null){
vErrors = [err99];
}
else {
vErrors.push(err99);
}
errors++;
}
}
if(data.requirements_file !== undefined){
let data51 = data.requirements_file;
if(typeof data51 === "string"){
if(func3(data51) < 1){
const err100 = {instancePath:instancePath+"/requirements_file",schemaPath:"#/properties/requirements_file/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data51};
if(vErrors === null){
vErrors = [err100];
}
else {
vErrors.push(err100);
}
errors++;
}
}
else {
const err101 = {instancePath:instancePath+"/requirements_file",schemaPath:"#/properties/requirements_file/type",keyword:"type",params:{type: "string"},message:"must be string",data:data51};
if(vErrors === null){
vErrors = [err101];
}
else {
vErrors.push(err101);
}
errors++;
}
}
if(data.generate_sbom !== undefined){
let data52 = data.generate_sbom;
const _errs130 = errors;
let valid35 = false;
const _errs131 = errors;
if(typeof data52 !== "boolean"){
const err102 = {instancePath:instancePath+"/generate_sbom",schemaPath:"#/properties/generate_sbom/anyOf/0/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data52};
if(vErrors === null){
vErrors = [err102];
}
else {
vErrors.push(err102);
}
errors++;
}
var _valid5 = _errs131 === errors;
valid35 = valid35 || _valid5;
if(!valid35){
const _errs133 = errors;
if(typeof data52 !== "string"){
const err103 = {instancePath:instancePath+"/generate_sbom",schemaPath:"#/properties/generate_sbom/anyOf/1/type",keyword:"type",params:{type: "string"},message:"must be string",data:data52};
if(vErrors === null){
vErrors = [err103];
}
else {
vErrors.push(err103);
}
errors++;
}
if(!((data52 === "spdx") || (data52 === "cyclonedx"))){
const err104 = {instancePath:instancePath+"/generate_sbom",schemaPath:"#/properties/generate_sbom/anyOf/1/enum",keyword:"enum",params:{allowedValues: schema14.properties.generate_sbom.anyOf[1].enum},message:"must be equal to one of the allowed values",data:data52};
if(vErrors === null){
vErrors = [err104];
}
else {
vErrors.push(err104);
}
errors++;
}
var _valid5 = _errs133 === errors;
valid35 = valid35 || _valid5;
}
if(!valid35){
const err105 = {instancePath:instancePath+"/generate_sbom",schemaPath:"#/properties/generate_sbom/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",data:data52};
if(vErrors === null){
vErrors = [err105];
}
else {
vErrors.push(err105);
}
errors++;
}
else {
errors = _errs130;
if(vErrors !== null){
if(_errs130){
vErrors.length = _errs130;
}
else {
vErrors = null;
}
}
}
}
if(data.max_cache_size_mb !== undefined){
let data53 = data.max_cache_size_mb;
if(!((typeof data53 == "number") && (!(data53 % 1) && !isNaN(data53)))){
const err106 = {instancePath:instancePath+"/max_cache_size_mb",schemaPath:"#/properties/max_cache_size_mb/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data53};
if(vErrors === null){
vErrors = [err106];
}
else {
vErrors.push(err106);
}
errors++;
}
if(typeof data53 == "number"){
if(data53 < 0 || isNaN(data53)){
const err107 = {instancePath:instancePath+"/max_cache_size_mb",schemaPath:"#/properties/max_cache_size_mb/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",data:data53};
if(vErrors === null){
vErrors = [err107];
}
else {
vErrors.push(err107);
}
errors++;
}
}
}
if(data.context_dir !== undefined){
let data54 = data.context_dir;
if(typeof data54 !== "string"){
const err108 = {instancePath:instancePath+"/context_dir",schemaPath:"#/properties/context_dir/type",keyword:"type",params:{type: "string"},message:"must be string",data:data54};
if(vErrors === null){
vErrors = [err108];
}
else {
vErrors.push(err108);
}
errors++;
}
if(!((data54 === ".") || (data54 === "./"))){
const err109 = {instancePath:instancePath+"/context_dir",schemaPath:"#/properties/context_dir/enum",keyword:"enum",params:{allowedValues: schema14.properties.context_dir.enum},message:"must be equal to one of the allowed values",data:data54};
if(vErrors === null){
vErrors = [err109];
}
else {
vErrors.push(err109);
}
errors++;
}
}
}
else {
const err110 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",data};
if(vErrors === null){
vErrors = [err110];
}
else {
vErrors.push(err110);
}
errors++;
}
validate11.errors = vErrors;
return errors === 0;
}


function validate10(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
/*# sourceURL="https://unpkg.com/pycontainer/schema/pycontainer.schema.json" */;
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
for(const key0 in data){
if(!(func2.call(schema11.properties, key0))){
const err0 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
if(data.annotations_from_git !== undefined){
let data0 = data.annotations_from_git;
if(typeof data0 !== "boolean"){
const err1 = {instancePath:instancePath+"/annotations_from_git",schemaPath:"#/definitions/build/properties/annotations_from_git/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data0};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.base_image !== undefined){
let data1 = data.base_image;
if(typeof data1 === "string"){
if(func3(data1) < 1){
const err2 = {instancePath:instancePath+"/base_image",schemaPath:"#/definitions/build/properties/base_image/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data1};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
else {
const err3 = {instancePath:instancePath+"/base_image",schemaPath:"#/definitions/build/properties/base_image/type",keyword:"type",params:{type: "string"},message:"must be string",data:data1};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.build !== undefined){
if(!(validate11(data.build, {instancePath:instancePath+"/build",parentData:data,parentDataProperty:"build",rootData}))){
vErrors = vErrors === null ? validate11.errors : vErrors.concat(validate11.errors);
errors = vErrors.length;
}
}
if(data.cache !== undefined){
let data3 = data.cache;
if(typeof data3 !== "boolean"){
const err4 = {instancePath:instancePath+"/cache",schemaPath:"#/definitions/build/properties/cache/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data3};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.cache_dir !== undefined){
let data4 = data.cache_dir;
if(typeof data4 === "string"){
if(func3(data4) < 1){
const err5 = {instancePath:instancePath+"/cache_dir",schemaPath:"#/definitions/build/properties/cache_dir/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data4};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
else {
const err6 = {instancePath:instancePath+"/cache_dir",schemaPath:"#/definitions/build/properties/cache_dir/type",keyword:"type",params:{type: "string"},message:"must be string",data:data4};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.cache_from !== undefined){
let data5 = data.cache_from;
if(Array.isArray(data5)){
const len0 = data5.length;
for(let i0=0; i0<len0; i0++){
let data6 = data5[i0];
if(typeof data6 === "string"){
if(func3(data6) < 1){
const err7 = {instancePath:instancePath+"/cache_from/" + i0,schemaPath:"#/definitions/build/properties/cache_from/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data6};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
else {
const err8 = {instancePath:instancePath+"/cache_from/" + i0,schemaPath:"#/definitions/build/properties/cache_from/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data6};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
let i1 = data5.length;
let j0;
if(i1 > 1){
const indices0 = {};
for(;i1--;){
let item0 = data5[i1];
if(typeof item0 !== "string"){
continue;
}
if(typeof indices0[item0] == "number"){
j0 = indices0[item0];
const err9 = {instancePath:instancePath+"/cache_from",schemaPath:"#/definitions/build/properties/cache_from/uniqueItems",keyword:"uniqueItems",params:{i: i1, j: j0},message:"must NOT have duplicate items (items ## "+j0+" and "+i1+" are identical)",data:data5};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
break;
}
indices0[item0] = i1;
}
}
}
else {
const err10 = {instancePath:instancePath+"/cache_from",schemaPath:"#/definitions/build/properties/cache_from/type",keyword:"type",params:{type: "array"},message:"must be array",data:data5};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
if(data.cmd !== undefined){
let data7 = data.cmd;
if(Array.isArray(data7)){
const len1 = data7.length;
for(let i2=0; i2<len1; i2++){
let data8 = data7[i2];
if(typeof data8 !== "string"){
const err11 = {instancePath:instancePath+"/cmd/" + i2,schemaPath:"#/definitions/build/properties/cmd/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data8};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
}
else {
const err12 = {instancePath:instancePath+"/cmd",schemaPath:"#/definitions/build/properties/cmd/type",keyword:"type",params:{type: "array"},message:"must be array",data:data7};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data.compile_bytecode !== undefined){
let data9 = data.compile_bytecode;
if(typeof data9 !== "boolean"){
const err13 = {instancePath:instancePath+"/compile_bytecode",schemaPath:"#/definitions/build/properties/compile_bytecode/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data9};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
if(data.context_dir !== undefined){
let data10 = data.context_dir;
if(typeof data10 !== "string"){
const err14 = {instancePath:instancePath+"/context_dir",schemaPath:"#/definitions/build/properties/context_dir/type",keyword:"type",params:{type: "string"},message:"must be string",data:data10};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
if(!((data10 === ".") || (data10 === "./"))){
const err15 = {instancePath:instancePath+"/context_dir",schemaPath:"#/definitions/build/properties/context_dir/enum",keyword:"enum",params:{allowedValues: schema21.enum},message:"must be equal to one of the allowed values",data:data10};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
if(data.dependency_groups !== undefined){
let data11 = data.dependency_groups;
if(Array.isArray(data11)){
const len2 = data11.length;
for(let i3=0; i3<len2; i3++){
let data12 = data11[i3];
if(typeof data12 === "string"){
if(func3(data12) < 1){
const err16 = {instancePath:instancePath+"/dependency_groups/" + i3,schemaPath:"#/definitions/build/properties/dependency_groups/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data12};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
else {
const err17 = {instancePath:instancePath+"/dependency_groups/" + i3,schemaPath:"#/definitions/build/properties/dependency_groups/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data12};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
let i4 = data11.length;
let j1;
if(i4 > 1){
const indices1 = {};
for(;i4--;){
let item1 = data11[i4];
if(typeof item1 !== "string"){
continue;
}
if(typeof indices1[item1] == "number"){
j1 = indices1[item1];
const err18 = {instancePath:instancePath+"/dependency_groups",schemaPath:"#/definitions/build/properties/dependency_groups/uniqueItems",keyword:"uniqueItems",params:{i: i4, j: j1},message:"must NOT have duplicate items (items ## "+j1+" and "+i4+" are identical)",data:data11};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
break;
}
indices1[item1] = i4;
}
}
}
else {
const err19 = {instancePath:instancePath+"/dependency_groups",schemaPath:"#/definitions/build/properties/dependency_groups/type",keyword:"type",params:{type: "array"},message:"must be array",data:data11};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
if(data.dry_run !== undefined){
let data13 = data.dry_run;
if(typeof data13 !== "boolean"){
const err20 = {instancePath:instancePath+"/dry_run",schemaPath:"#/definitions/build/properties/dry_run/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data13};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
if(data.entrypoint !== undefined){
let data14 = data.entrypoint;
if(Array.isArray(data14)){
if(data14.length < 1){
const err21 = {instancePath:instancePath+"/entrypoint",schemaPath:"#/definitions/build/properties/entrypoint/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",data:data14};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
const len3 = data14.length;
for(let i5=0; i5<len3; i5++){
let data15 = data14[i5];
if(typeof data15 === "string"){
if(func3(data15) < 1){
const err22 = {instancePath:instancePath+"/entrypoint/" + i5,schemaPath:"#/definitions/build/properties/entrypoint/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data15};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
else {
const err23 = {instancePath:instancePath+"/entrypoint/" + i5,schemaPath:"#/definitions/build/properties/entrypoint/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data15};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
}
else {
const err24 = {instancePath:instancePath+"/entrypoint",schemaPath:"#/definitions/build/properties/entrypoint/type",keyword:"type",params:{type: "array"},message:"must be array",data:data14};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
if(data.env !== undefined){
let data16 = data.env;
if(data16 && typeof data16 == "object" && !Array.isArray(data16)){
for(const key1 in data16){
const _errs47 = errors;
if(typeof key1 === "string"){
if(!pattern7.test(key1)){
const err25 = {instancePath:instancePath+"/env",schemaPath:"#/definitions/build/properties/env/propertyNames/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z_][A-Za-z0-9_]*$"},message:"must match pattern \""+"^[A-Za-z_][A-Za-z0-9_]*$"+"\"",data:key1,propertyName:key1};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
var valid23 = _errs47 === errors;
if(!valid23){
const err26 = {instancePath:instancePath+"/env",schemaPath:"#/definitions/build/properties/env/propertyNames",keyword:"propertyNames",params:{propertyName: key1},message:"property name must be valid",data:data16};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
for(const key2 in data16){
let data17 = data16[key2];
if(typeof data17 !== "string"){
const err27 = {instancePath:instancePath+"/env/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/build/properties/env/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",data:data17};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
}
else {
const err28 = {instancePath:instancePath+"/env",schemaPath:"#/definitions/build/properties/env/type",keyword:"type",params:{type: "object"},message:"must be object",data:data16};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
if(data.exclude !== undefined){
let data18 = data.exclude;
if(Array.isArray(data18)){
const len4 = data18.length;
for(let i6=0; i6<len4; i6++){
let data19 = data18[i6];
if(typeof data19 === "string"){
if(func3(data19) < 1){
const err29 = {instancePath:instancePath+"/exclude/" + i6,schemaPath:"#/definitions/build/properties/exclude/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data19};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
else {
const err30 = {instancePath:instancePath+"/exclude/" + i6,schemaPath:"#/definitions/build/properties/exclude/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data19};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
}
else {
const err31 = {instancePath:instancePath+"/exclude",schemaPath:"#/definitions/build/properties/exclude/type",keyword:"type",params:{type: "array"},message:"must be array",data:data18};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
if(data.exposed_ports !== undefined){
let data20 = data.exposed_ports;
if(Array.isArray(data20)){
const len5 = data20.length;
for(let i7=0; i7<len5; i7++){
let data21 = data20[i7];
const _errs60 = errors;
let valid31 = false;
const _errs61 = errors;
if(!((typeof data21 == "number") && (!(data21 % 1) && !isNaN(data21)))){
const err32 = {instancePath:instancePath+"/exposed_ports/" + i7,schemaPath:"#/definitions/build/properties/exposed_ports/items/anyOf/0/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data21};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
if(typeof data21 == "number"){
if(data21 > 65535 || isNaN(data21)){
const err33 = {instancePath:instancePath+"/exposed_ports/" + i7,schemaPath:"#/definitions/build/properties/exposed_ports/items/anyOf/0/maximum",keyword:"maximum",params:{comparison: "<=", limit: 65535},message:"must be <= 65535",data:data21};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
if(data21 < 1 || isNaN(data21)){
const err34 = {instancePath:instancePath+"/exposed_ports/" + i7,schemaPath:"#/definitions/build/properties/exposed_ports/items/anyOf/0/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",data:data21};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
var _valid0 = _errs61 === errors;
valid31 = valid31 || _valid0;
if(!valid31){
const _errs63 = errors;
if(typeof data21 === "string"){
if(!pattern2.test(data21)){
const err35 = {instancePath:instancePath+"/exposed_ports/" + i7,schemaPath:"#/definitions/build/properties/exposed_ports/items/anyOf/1/pattern",keyword:"pattern",params:{pattern: "^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])(/(tcp|udp|sctp))?$"},message:"must match pattern \""+"^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])(/(tcp|udp|sctp))?$"+"\"",data:data21};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
else {
const err36 = {instancePath:instancePath+"/exposed_ports/" + i7,schemaPath:"#/definitions/build/properties/exposed_ports/items/anyOf/1/type",keyword:"type",params:{type: "string"},message:"must be string",data:data21};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
var _valid0 = _errs63 === errors;
valid31 = valid31 || _valid0;
}
if(!valid31){
const err37 = {instancePath:instancePath+"/exposed_ports/" + i7,schemaPath:"#/definitions/build/properties/exposed_ports/items/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",data:data21};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
else {
errors = _errs60;
if(vErrors !== null){
if(_errs60){
vErrors.length = _errs60;
}
else {
vErrors = null;
}
}
}
}
}
else {
const err38 = {instancePath:instancePath+"/exposed_ports",schemaPath:"#/definitions/build/properties/exposed_ports/type",keyword:"type",params:{type: "array"},message:"must be array",data:data20};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
}
if(data.extras !== undefined){
let data22 = data.extras;
if(Array.isArray(data22)){
const len6 = data22.length;
for(let i8=0; i8<len6; i8++){
let data23 = data22[i8];
if(typeof data23 === "string"){
if(func3(data23) < 1){
const err39 = {instancePath:instancePath+"/extras/" + i8,schemaPath:"#/definitions/build/properties/extras/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data23};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
else {
const err40 = {instancePath:instancePath+"/extras/" + i8,schemaPath:"#/definitions/build/properties/extras/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data23};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
}
let i9 = data22.length;
let j2;
if(i9 > 1){
const indices2 = {};
for(;i9--;){
let item2 = data22[i9];
if(typeof item2 !== "string"){
continue;
}
if(typeof indices2[item2] == "number"){
j2 = indices2[item2];
const err41 = {instancePath:instancePath+"/extras",schemaPath:"#/definitions/build/properties/extras/uniqueItems",keyword:"uniqueItems",params:{i: i9, j: j2},message:"must NOT have duplicate items (items ## "+j2+" and "+i9+" are identical)",data:data22};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
break;
}
indices2[item2] = i9;
}
}
}
else {
const err42 = {instancePath:instancePath+"/extras",schemaPath:"#/definitions/build/properties/extras/type",keyword:"type",params:{type: "array"},message:"must be array",data:data22};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
}
if(data.generate_sbom !== undefined){
let data24 = data.generate_sbom;
const _errs72 = errors;
let valid37 = false;
const _errs73 = errors;
if(typeof data24 !== "boolean"){
const err43 = {instancePath:instancePath+"/generate_sbom",schemaPath:"#/definitions/build/properties/generate_sbom/anyOf/0/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data24};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
var _valid1 = _errs73 === errors;
valid37 = valid37 || _valid1;
if(!valid37){
const _errs75 = errors;
if(typeof data24 !== "string"){
const err44 = {instancePath:instancePath+"/generate_sbom",schemaPath:"#/definitions/build/properties/generate_sbom/anyOf/1/type",keyword:"type",params:{type: "string"},message:"must be string",data:data24};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
if(!((data24 === "spdx") || (data24 === "cyclonedx"))){
const err45 = {instancePath:instancePath+"/generate_sbom",schemaPath:"#/definitions/build/properties/generate_sbom/anyOf/1/enum",keyword:"enum",params:{allowedValues: schema29.anyOf[1].enum},message:"must be equal to one of the allowed values",data:data24};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
var _valid1 = _errs75 === errors;
valid37 = valid37 || _valid1;
}
if(!valid37){
const err46 = {instancePath:instancePath+"/generate_sbom",schemaPath:"#/definitions/build/properties/generate_sbom/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",data:data24};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
else {
errors = _errs72;
if(vErrors !== null){
if(_errs72){
vErrors.length = _errs72;
}
else {
vErrors = null;
}
}
}
}
if(data.include_deps !== undefined){
let data25 = data.include_deps;
if(typeof data25 !== "boolean"){
const err47 = {instancePath:instancePath+"/include_deps",schemaPath:"#/definitions/build/properties/include_deps/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data25};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
}
if(data.include_paths !== undefined){
let data26 = data.include_paths;
if(Array.isArray(data26)){
const len7 = data26.length;
for(let i10=0; i10<len7; i10++){
let data27 = data26[i10];
if(typeof data27 === "string"){
if(func3(data27) < 1){
const err48 = {instancePath:instancePath+"/include_paths/" + i10,schemaPath:"#/definitions/build/properties/include_paths/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data27};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
}
else {
const err49 = {instancePath:instancePath+"/include_paths/" + i10,schemaPath:"#/definitions/build/properties/include_paths/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data27};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
}
}
else {
const err50 = {instancePath:instancePath+"/include_paths",schemaPath:"#/definitions/build/properties/include_paths/type",keyword:"type",params:{type: "array"},message:"must be array",data:data26};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
}
if(data.labels !== undefined){
if(!(validate12(data.labels, {instancePath:instancePath+"/labels",parentData:data,parentDataProperty:"labels",rootData}))){
vErrors = vErrors === null ? validate12.errors : vErrors.concat(validate12.errors);
errors = vErrors.length;
}
}
if(data.layers !== undefined){
let data29 = data.layers;
const _errs88 = errors;
let valid43 = false;
const _errs89 = errors;
if(typeof data29 !== "string"){
const err51 = {instancePath:instancePath+"/layers",schemaPath:"#/definitions/build/properties/layers/anyOf/0/type",keyword:"type",params:{type: "string"},message:"must be string",data:data29};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
if(!((data29 === "auto") || (data29 === "single"))){
const err52 = {instancePath:instancePath+"/layers",schemaPath:"#/definitions/build/properties/layers/anyOf/0/enum",keyword:"enum",params:{allowedValues: schema32.anyOf[0].enum},message:"must be equal to one of the allowed values",data:data29};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
var _valid2 = _errs89 === errors;
valid43 = valid43 || _valid2;
if(!valid43){
const _errs91 = errors;
if(data29 && typeof data29 == "object" && !Array.isArray(data29)){
for(const key3 in data29){
if(!((((key3 === "strategy") || (key3 === "large_file")) || (key3 === "large_package")) || (key3 === "max"))){
const err53 = {instancePath:instancePath+"/layers",schemaPath:"#/definitions/build/properties/layers/anyOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties",data:data29};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
}
if(data29.strategy !== undefined){
let data30 = data29.strategy;
if(typeof data30 !== "string"){
const err54 = {instancePath:instancePath+"/layers/strategy",schemaPath:"#/definitions/build/properties/layers/anyOf/1/properties/strategy/type",keyword:"type",params:{type: "string"},message:"must be string",data:data30};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
if(!((data30 === "auto") || (data30 === "single"))){
const err55 = {instancePath:instancePath+"/layers/strategy",schemaPath:"#/definitions/build/properties/layers/anyOf/1/properties/strategy/enum",keyword:"enum",params:{allowedValues: schema32.anyOf[1].properties.strategy.enum},message:"must be equal to one of the allowed values",data:data30};
if(vErrors === null){
vErrors = [err55];
}
else {
vErrors.push(err55);
}
errors++;
}
}
if(data29.large_file !== undefined){
let data31 = data29.large_file;
const _errs97 = errors;
let valid45 = false;
const _errs98 = errors;
if(!((typeof data31 == "number") && (!(data31 % 1) && !isNaN(data31)))){
const err56 = {instancePath:instancePath+"/layers/large_file",schemaPath:"#/definitions/build/properties/layers/anyOf/1/properties/large_file/anyOf/0/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data31};
if(vErrors === null){
vErrors = [err56];
}
else {
vErrors.push(err56);
}
errors++;
}
if(typeof data31 == "number"){
if(data31 < 0 || isNaN(data31)){
const err57 = {instancePath:instancePath+"/layers/large_file",schemaPath:"#/definitions/build/properties/layers/anyOf/1/properties/large_file/anyOf/0/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",data:data31};
if(vErrors === null){
vErrors = [err57];
}
else {
vErrors.push(err57);
}
errors++;
}
}
var _valid3 = _errs98 === errors;
valid45 = valid45 || _valid3;
if(!valid45){
const _errs100 = errors;
if(typeof data31 === "string"){
if(!pattern3.test(data31)){
const err58 = {instancePath:instancePath+"/layers/large_file",schemaPath:"#/definitions/build/properties/layers/anyOf/1/properties/large_file/anyOf/1/pattern",keyword:"pattern",params:{pattern: "^[0-9]+(\\.[0-9]+)?\\s*([kKMG]i?B|B)?$"},message:"must match pattern \""+"^[0-9]+(\\.[0-9]+)?\\s*([kKMG]i?B|B)?$"+"\"",data:data31};
if(vErrors === null){
vErrors = [err58];
}
else {
vErrors.push(err58);
}
errors++;
}
}
else {
const err59 = {instancePath:instancePath+"/layers/large_file",schemaPath:"#/definitions/build/properties/layers/anyOf/1/properties/large_file/anyOf/1/type",keyword:"type",params:{type: "string"},message:"must be string",data:data31};
if(vErrors === null){
vErrors = [err59];
}
else {
vErrors.push(err59);
}
errors++;
}
var _valid3 = _errs100 === errors;
valid45 = valid45 || _valid3;
}
if(!valid45){
const err60 = {instancePath:instancePath+"/layers/large_file",schemaPath:"#/definitions/build/properties/layers/anyOf/1/properties/large_file/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",data:data31};
if(vErrors === null){
vErrors = [err60];
}
else {
vErrors.push(err60);
}
errors++;
}
else {
errors = _errs97;
if(vErrors !== null){
if(_errs97){
vErrors.length = _errs97;
}
else {
vErrors = null;
}
}
}
}
if(data29.large_package !== undefined){
let data32 = data29.large_package;
const _errs103 = errors;
let valid46 = false;
const _errs104 = errors;
if(!((typeof data32 == "number") && (!(data32 % 1) && !isNaN(data32)))){
const err61 = {instancePath:instancePath+"/layers/large_package",schemaPath:"#/definitions/build/properties/layers/anyOf/1/properties/large_package/anyOf/0/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data32};
if(vErrors === null){
vErrors = [err61];
}
else {
vErrors.push(err61);
}
errors++;
}
if(typeof data32 == "number"){
if(data32 < 0 || isNaN(data32)){
const err62 = {instancePath:instancePath+"/layers/large_package",schemaPath:"#/definitions/build/properties/layers/anyOf/1/properties/large_package/anyOf/0/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",data:data32};
if(vErrors === null){
vErrors = [err62];
}
else {
vErrors.push(err62);
}
errors++;
}
}
var _valid4 = _errs104 === errors;
valid46 = valid46 || _valid4;
if(!valid46){
const _errs106 = errors;
if(typeof data32 === "string"){
if(!pattern3.test(data32)){
const err63 = {instancePath:instancePath+"/layers/large_package",schemaPath:"#/definitions/build/properties/layers/anyOf/1/properties/large_package/anyOf/1/pattern",keyword:"pattern",params:{pattern: "^[0-9]+(\\.[0-9]+)?\\s*([kKMG]i?B|B)?$"},message:"must match pattern \""+"^[0-9]+(\\.[0-9]+)?\\s*([kKMG]i?B|B)?$"+"\"",data:data32};
if(vErrors === null){
vErrors = [err63];
}
else {
vErrors.push(err63);
}
errors++;
}
}
else {
const err64 = {instancePath:instancePath+"/layers/large_package",schemaPath:"#/definitions/build/properties/layers/anyOf/1/properties/large_package/anyOf/1/type",keyword:"type",params:{type: "string"},message:"must be string",data:data32};
if(vErrors === null){
vErrors = [err64];
}
else {
vErrors.push(err64);
}
errors++;
}
var _valid4 = _errs106 === errors;
valid46 = valid46 || _valid4;
}
if(!valid46){
const err65 = {instancePath:instancePath+"/layers/large_package",schemaPath:"#/definitions/build/properties/layers/anyOf/1/properties/large_package/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",data:data32};
if(vErrors === null){
vErrors = [err65];
}
else {
vErrors.push(err65);
}
errors++;
}
else {
errors = _errs103;
if(vErrors !== null){
if(_errs103){
vErrors.length = _errs103;
}
else {
vErrors = null;
}
}
}
}
if(data29.max !== undefined){
let data33 = data29.max;
if(!((typeof data33 == "number") && (!(data33 % 1) && !isNaN(data33)))){
const err66 = {instancePath:instancePath+"/layers/max",schemaPath:"#/definitions/build/properties/layers/anyOf/1/properties/max/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data33};
if(vErrors === null){
vErrors = [err66];
}
else {
vErrors.push(err66);
}
errors++;
}
if(typeof data33 == "number"){
if(data33 > 100 || isNaN(data33)){
const err67 = {instancePath:instancePath+"/layers/max",schemaPath:"#/definitions/build/properties/layers/anyOf/1/properties/max/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100",data:data33};
if(vErrors === null){
vErrors = [err67];
}
else {
vErrors.push(err67);
}
errors++;
}
if(data33 < 4 || isNaN(data33)){
const err68 = {instancePath:instancePath+"/layers/max",schemaPath:"#/definitions/build/properties/layers/anyOf/1/properties/max/minimum",keyword:"minimum",params:{comparison: ">=", limit: 4},message:"must be >= 4",data:data33};
if(vErrors === null){
vErrors = [err68];
}
else {
vErrors.push(err68);
}
errors++;
}
}
}
}
else {
const err69 = {instancePath:instancePath+"/layers",schemaPath:"#/definitions/build/properties/layers/anyOf/1/type",keyword:"type",params:{type: "object"},message:"must be object",data:data29};
if(vErrors === null){
vErrors = [err69];
}
else {
vErrors.push(err69);
}
errors++;
}
var _valid2 = _errs91 === errors;
valid43 = valid43 || _valid2;
}
if(!valid43){
const err70 = {instancePath:instancePath+"/layers",schemaPath:"#/definitions/build/properties/layers/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",data:data29};
if(vErrors === null){
vErrors = [err70];
}
else {
vErrors.push(err70);
}
errors++;
}
else {
errors = _errs88;
if(vErrors !== null){
if(_errs88){
vErrors.length = _errs88;
}
else {
vErrors = null;
}
}
}
}
if(data.max_cache_size_mb !== undefined){
let data34 = data.max_cache_size_mb;
if(!((typeof data34 == "number") && (!(data34 % 1) && !isNaN(data34)))){
const err71 = {instancePath:instancePath+"/max_cache_size_mb",schemaPath:"#/definitions/build/properties/max_cache_size_mb/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data34};
if(vErrors === null){
vErrors = [err71];
}
else {
vErrors.push(err71);
}
errors++;
}
if(typeof data34 == "number"){
if(data34 < 0 || isNaN(data34)){
const err72 = {instancePath:instancePath+"/max_cache_size_mb",schemaPath:"#/definitions/build/properties/max_cache_size_mb/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",data:data34};
if(vErrors === null){
vErrors = [err72];
}
else {
vErrors.push(err72);
}
errors++;
}
}
}
if(data.no_cache !== undefined){
let data35 = data.no_cache;
if(typeof data35 !== "boolean"){
const err73 = {instancePath:instancePath+"/no_cache",schemaPath:"#/definitions/build/properties/no_cache/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data35};
if(vErrors === null){
vErrors = [err73];
}
else {
vErrors.push(err73);
}
errors++;
}
}
if(data.output !== undefined){
let data36 = data.output;
if(typeof data36 === "string"){
if(func3(data36) < 1){
const err74 = {instancePath:instancePath+"/output",schemaPath:"#/definitions/build/properties/output/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data36};
if(vErrors === null){
vErrors = [err74];
}
else {
vErrors.push(err74);
}
errors++;
}
}
else {
const err75 = {instancePath:instancePath+"/output",schemaPath:"#/definitions/build/properties/output/type",keyword:"type",params:{type: "string"},message:"must be string",data:data36};
if(vErrors === null){
vErrors = [err75];
}
else {
vErrors.push(err75);
}
errors++;
}
}
if(data.output_dir !== undefined){
let data37 = data.output_dir;
if(typeof data37 === "string"){
if(func3(data37) < 1){
const err76 = {instancePath:instancePath+"/output_dir",schemaPath:"#/definitions/build/properties/output_dir/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data37};
if(vErrors === null){
vErrors = [err76];
}
else {
vErrors.push(err76);
}
errors++;
}
}
else {
const err77 = {instancePath:instancePath+"/output_dir",schemaPath:"#/definitions/build/properties/output_dir/type",keyword:"type",params:{type: "string"},message:"must be string",data:data37};
if(vErrors === null){
vErrors = [err77];
}
else {
vErrors.push(err77);
}
errors++;
}
}
if(data.platform !== undefined){
let data38 = data.platform;
if(typeof data38 === "string"){
if(!pattern5.test(data38)){
const err78 = {instancePath:instancePath+"/platform",schemaPath:"#/definitions/build/properties/platform/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$"},message:"must match pattern \""+"^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$"+"\"",data:data38};
if(vErrors === null){
vErrors = [err78];
}
else {
vErrors.push(err78);
}
errors++;
}
}
else {
const err79 = {instancePath:instancePath+"/platform",schemaPath:"#/definitions/build/properties/platform/type",keyword:"type",params:{type: "string"},message:"must be string",data:data38};
if(vErrors === null){
vErrors = [err79];
}
else {
vErrors.push(err79);
}
errors++;
}
}
if(data.platforms !== undefined){
let data39 = data.platforms;
if(Array.isArray(data39)){
if(data39.length < 1){
const err80 = {instancePath:instancePath+"/platforms",schemaPath:"#/definitions/build/properties/platforms/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",data:data39};
if(vErrors === null){
vErrors = [err80];
}
else {
vErrors.push(err80);
}
errors++;
}
const len8 = data39.length;
for(let i11=0; i11<len8; i11++){
let data40 = data39[i11];
if(typeof data40 === "string"){
if(!pattern5.test(data40)){
const err81 = {instancePath:instancePath+"/platforms/" + i11,schemaPath:"#/definitions/build/properties/platforms/items/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$"},message:"must match pattern \""+"^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$"+"\"",data:data40};
if(vErrors === null){
vErrors = [err81];
}
else {
vErrors.push(err81);
}
errors++;
}
}
else {
const err82 = {instancePath:instancePath+"/platforms/" + i11,schemaPath:"#/definitions/build/properties/platforms/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data40};
if(vErrors === null){
vErrors = [err82];
}
else {
vErrors.push(err82);
}
errors++;
}
}
}
else {
const err83 = {instancePath:instancePath+"/platforms",schemaPath:"#/definitions/build/properties/platforms/type",keyword:"type",params:{type: "array"},message:"must be array",data:data39};
if(vErrors === null){
vErrors = [err83];
}
else {
vErrors.push(err83);
}
errors++;
}
}
if(data.push !== undefined){
let data41 = data.push;
if(typeof data41 !== "boolean"){
const err84 = {instancePath:instancePath+"/push",schemaPath:"#/definitions/build/properties/push/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data41};
if(vErrors === null){
vErrors = [err84];
}
else {
vErrors.push(err84);
}
errors++;
}
}
if(data.registry !== undefined){
let data42 = data.registry;
const _errs134 = errors;
let valid56 = false;
const _errs135 = errors;
if(data42 && typeof data42 == "object" && !Array.isArray(data42)){
for(const key4 in data42){
if(!(((key4 === "url") || (key4 === "username")) || (key4 === "insecure"))){
const err85 = {instancePath:instancePath+"/registry",schemaPath:"#/definitions/registry/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key4},message:"must NOT have additional properties",data:data42};
if(vErrors === null){
vErrors = [err85];
}
else {
vErrors.push(err85);
}
errors++;
}
}
if(data42.url !== undefined){
let data43 = data42.url;
if(typeof data43 === "string"){
if(func3(data43) < 1){
const err86 = {instancePath:instancePath+"/registry/url",schemaPath:"#/definitions/registry/properties/url/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data43};
if(vErrors === null){
vErrors = [err86];
}
else {
vErrors.push(err86);
}
errors++;
}
}
else {
const err87 = {instancePath:instancePath+"/registry/url",schemaPath:"#/definitions/registry/properties/url/type",keyword:"type",params:{type: "string"},message:"must be string",data:data43};
if(vErrors === null){
vErrors = [err87];
}
else {
vErrors.push(err87);
}
errors++;
}
}
if(data42.username !== undefined){
let data44 = data42.username;
if(typeof data44 === "string"){
if(func3(data44) < 1){
const err88 = {instancePath:instancePath+"/registry/username",schemaPath:"#/definitions/registry/properties/username/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data44};
if(vErrors === null){
vErrors = [err88];
}
else {
vErrors.push(err88);
}
errors++;
}
}
else {
const err89 = {instancePath:instancePath+"/registry/username",schemaPath:"#/definitions/registry/properties/username/type",keyword:"type",params:{type: "string"},message:"must be string",data:data44};
if(vErrors === null){
vErrors = [err89];
}
else {
vErrors.push(err89);
}
errors++;
}
}
if(data42.insecure !== undefined){
let data45 = data42.insecure;
if(typeof data45 !== "boolean"){
const err90 = {instancePath:instancePath+"/registry/insecure",schemaPath:"#/definitions/registry/properties/insecure/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data45};
if(vErrors === null){
vErrors = [err90];
}
else {
vErrors.push(err90);
}
errors++;
}
}
}
else {
const err91 = {instancePath:instancePath+"/registry",schemaPath:"#/definitions/registry/type",keyword:"type",params:{type: "object"},message:"must be object",data:data42};
if(vErrors === null){
vErrors = [err91];
}
else {
vErrors.push(err91);
}
errors++;
}
var _valid5 = _errs135 === errors;
valid56 = valid56 || _valid5;
if(!valid56){
const _errs145 = errors;
if(typeof data42 === "string"){
if(func3(data42) < 1){
const err92 = {instancePath:instancePath+"/registry",schemaPath:"#/definitions/registry/properties/url/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data42};
if(vErrors === null){
vErrors = [err92];
}
else {
vErrors.push(err92);
}
errors++;
}
}
else {
const err93 = {instancePath:instancePath+"/registry",schemaPath:"#/definitions/registry/properties/url/type",keyword:"type",params:{type: "string"},message:"must be string",data:data42};
if(vErrors === null){
vErrors = [err93];
}
else {
vErrors.push(err93);
}
errors++;
}
var _valid5 = _errs145 === errors;
valid56 = valid56 || _valid5;
}
if(!valid56){
const err94 = {instancePath:instancePath+"/registry",schemaPath:"#/properties/registry/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",data:data42};
if(vErrors === null){
vErrors = [err94];
}
else {
vErrors.push(err94);
}
errors++;
}
else {
errors = _errs134;
if(vErrors !== null){
if(_errs134){
vErrors.length = _errs134;
}
else {
vErrors = null;
}
}
}
}
if(data.reproducible !== undefined){
let data46 = data.reproducible;
if(typeof data46 !== "boolean"){
const err95 = {instancePath:instancePath+"/reproducible",schemaPath:"#/definitions/build/properties/reproducible/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data46};
if(vErrors === null){
vErrors = [err95];
}
else {
vErrors.push(err95);
}
errors++;
}
}
if(data.requirements !== undefined){
let data47 = data.requirements;
if(typeof data47 === "string"){
if(func3(data47) < 1){
const err96 = {instancePath:instancePath+"/requirements",schemaPath:"#/definitions/build/properties/requirements/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data47};
if(vErrors === null){
vErrors = [err96];
}
else {
vErrors.push(err96);
}
errors++;
}
}
else {
const err97 = {instancePath:instancePath+"/requirements",schemaPath:"#/definitions/build/properties/requirements/type",keyword:"type",params:{type: "string"},message:"must be string",data:data47};
if(vErrors === null){
vErrors = [err97];
}
else {
vErrors.push(err97);
}
errors++;
}
}
if(data.requirements_file !== undefined){
let data48 = data.requirements_file;
if(typeof data48 === "string"){
if(func3(data48) < 1){
const err98 = {instancePath:instancePath+"/requirements_file",schemaPath:"#/definitions/build/properties/requirements_file/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data48};
if(vErrors === null){
vErrors = [err98];
}
else {
vErrors.push(err98);
}
errors++;
}
}
else {
const err99 = {instancePath:instancePath+"/requirements_file",schemaPath:"#/definitions/build/properties/requirements_file/type",keyword:"type",params:{type: "string"},message:"must be string",data:data48};
if(vErrors === null){
vErrors = [err99];
}
else {
vErrors.push(err99);
}
errors++;
}
}
if(data.sbom !== undefined){
let data49 = data.sbom;
if(typeof data49 !== "string"){
const err100 = {instancePath:instancePath+"/sbom",schemaPath:"#/definitions/build/properties/sbom/type",keyword:"type",params:{type: "string"},message:"must be string",data:data49};
if(vErrors === null){
vErrors = [err100];
}
else {
vErrors.push(err100);
}
errors++;
}
if(!((data49 === "spdx") || (data49 === "cyclonedx"))){
const err101 = {instancePath:instancePath+"/sbom",schemaPath:"#/definitions/build/properties/sbom/enum",keyword:"enum",params:{allowedValues: schema45.enum},message:"must be equal to one of the allowed values",data:data49};
if(vErrors === null){
vErrors = [err101];
}
else {
vErrors.push(err101);
}
errors++;
}
}
if(data.tag !== undefined){
let data50 = data.tag;
if(typeof data50 === "string"){
if(func3(data50) < 1){
const err102 = {instancePath:instancePath+"/tag",schemaPath:"#/definitions/build/properties/tag/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data50};
if(vErrors === null){
vErrors = [err102];
}
else {
vErrors.push(err102);
}
errors++;
}
}
else {
const err103 = {instancePath:instancePath+"/tag",schemaPath:"#/definitions/build/properties/tag/type",keyword:"type",params:{type: "string"},message:"must be string",data:data50};
if(vErrors === null){
vErrors = [err103];
}
else {
vErrors.push(err103);
}
errors++;
}
}
if(data.tags !== undefined){
let data51 = data.tags;
if(Array.isArray(data51)){
const len9 = data51.length;
for(let i12=0; i12<len9; i12++){
let data52 = data51[i12];
if(typeof data52 === "string"){
if(func3(data52) < 1){
const err104 = {instancePath:instancePath+"/tags/" + i12,schemaPath:"#/definitions/build/properties/tags/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data52};
if(vErrors === null){
vErrors = [err104];
}
else {
vErrors.push(err104);
}
errors++;
}
}
else {
const err105 = {instancePath:instancePath+"/tags/" + i12,schemaPath:"#/definitions/build/properties/tags/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data52};
if(vErrors === null){
vErrors = [err105];
}
else {
vErrors.push(err105);
}
errors++;
}
}
}
else {
const err106 = {instancePath:instancePath+"/tags",schemaPath:"#/definitions/build/properties/tags/type",keyword:"type",params:{type: "array"},message:"must be array",data:data51};
if(vErrors === null){
vErrors = [err106];
}
else {
vErrors.push(err106);
}
errors++;
}
}
if(data.use_cache !== undefined){
let data53 = data.use_cache;
if(typeof data53 !== "boolean"){
const err107 = {instancePath:instancePath+"/use_cache",schemaPath:"#/definitions/build/properties/use_cache/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data53};
if(vErrors === null){
vErrors = [err107];
}
else {
vErrors.push(err107);
}
errors++;
}
}
if(data.user !== undefined){
let data54 = data.user;
if(typeof data54 === "string"){
if(func3(data54) < 1){
const err108 = {instancePath:instancePath+"/user",schemaPath:"#/definitions/build/properties/user/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data54};
if(vErrors === null){
vErrors = [err108];
}
else {
vErrors.push(err108);
}
errors++;
}
if(!pattern1.test(data54)){
const err109 = {instancePath:instancePath+"/user",schemaPath:"#/definitions/build/properties/user/pattern",keyword:"pattern",params:{pattern: "^(?:[A-Za-z_][A-Za-z0-9_.-]*\\$?|[0-9]+)(?::(?:[A-Za-z_][A-Za-z0-9_.-]*\\$?|[0-9]+))?$"},message:"must match pattern \""+"^(?:[A-Za-z_][A-Za-z0-9_.-]*\\$?|[0-9]+)(?::(?:[A-Za-z_][A-Za-z0-9_.-]*\\$?|[0-9]+))?$"+"\"",data:data54};
if(vErrors === null){
vErrors = [err109];
}
else {
vErrors.push(err109);
}
errors++;
}
}
else {
const err110 = {instancePath:instancePath+"/user",schemaPath:"#/definitions/build/properties/user/type",keyword:"type",params:{type: "string"},message:"must be string",data:data54};
if(vErrors === null){
vErrors = [err110];
}
else {
vErrors.push(err110);
}
errors++;
}
}
if(data.verbose !== undefined){
let data55 = data.verbose;
if(typeof data55 !== "boolean"){
const err111 = {instancePath:instancePath+"/verbose",schemaPath:"#/definitions/build/properties/verbose/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data55};
if(vErrors === null){
vErrors = [err111];
}
else {
vErrors.push(err111);
}
errors++;
}
}
if(data.workdir !== undefined){
let data56 = data.workdir;
if(typeof data56 === "string"){
if(!pattern0.test(data56)){
const err112 = {instancePath:instancePath+"/workdir",schemaPath:"#/definitions/build/properties/workdir/pattern",keyword:"pattern",params:{pattern: "^/(?!(?:.*/)?\\.\\.(?:/|$))"},message:"must match pattern \""+"^/(?!(?:.*/)?\\.\\.(?:/|$))"+"\"",data:data56};
if(vErrors === null){
vErrors = [err112];
}
else {
vErrors.push(err112);
}
errors++;
}
}
else {
const err113 = {instancePath:instancePath+"/workdir",schemaPath:"#/definitions/build/properties/workdir/type",keyword:"type",params:{type: "string"},message:"must be string",data:data56};
if(vErrors === null){
vErrors = [err113];
}
else {
vErrors.push(err113);
}
errors++;
}
}
if(data.writable !== undefined){
let data57 = data.writable;
if(Array.isArray(data57)){
const len10 = data57.length;
for(let i13=0; i13<len10; i13++){
let data58 = data57[i13];
if(typeof data58 === "string"){
if(func3(data58) < 1){
const err114 = {instancePath:instancePath+"/writable/" + i13,schemaPath:"#/definitions/build/properties/writable/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",data:data58};
if(vErrors === null){
vErrors = [err114];
}
else {
vErrors.push(err114);
}
errors++;
}
}
else {
const err115 = {instancePath:instancePath+"/writable/" + i13,schemaPath:"#/definitions/build/properties/writable/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data58};
if(vErrors === null){
vErrors = [err115];
}
else {
vErrors.push(err115);
}
errors++;
}
}
}
else {
const err116 = {instancePath:instancePath+"/writable",schemaPath:"#/definitions/build/properties/writable/type",keyword:"type",params:{type: "array"},message:"must be array",data:data57};
if(vErrors === null){
vErrors = [err116];
}
else {
vErrors.push(err116);
}
errors++;
}
}
}
else {
const err117 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",data};
if(vErrors === null){
vErrors = [err117];
}
else {
vErrors.push(err117);
}
errors++;
}
validate10.errors = vErrors;
return errors === 0;
}

export const plan = validate16;
const schema53 = {"$schema":"http://json-schema.org/draft-07/schema#","$id":"https://unpkg.com/pycontainer/schema/plan.schema.json","type":"object","additionalProperties":false,"required":["kind","formatVersion","pycontainerVersion","project","inputs","platforms","python","base","layers","images","tags","annotations","output","provenance"],"properties":{"$schema":{"type":"string"},"kind":{"const":"pycontainer.plan"},"formatVersion":{"type":"integer","minimum":1},"pycontainerVersion":{"type":"string"},"project":{"type":"object","additionalProperties":false,"required":["name","version"],"properties":{"name":{"type":"string"},"version":{"type":"string"}}},"inputs":{"type":"array","items":{"$ref":"#/definitions/inputFile"}},"platforms":{"type":"array","minItems":1,"items":{"type":"string"}},"python":{"type":"object","additionalProperties":false,"required":["version","interpreter","venv"],"properties":{"version":{"type":"string"},"interpreter":{"type":"string"},"venv":{"type":"string"},"bytecode":{"type":"object","additionalProperties":false,"required":["compiler","cacheTag"],"properties":{"compiler":{"type":"string"},"cacheTag":{"type":"string"}}}}},"base":{"$ref":"#/definitions/base"},"layers":{"type":"array","items":{"$ref":"#/definitions/layer"}},"images":{"type":"array","minItems":1,"items":{"$ref":"#/definitions/image"}},"tags":{"type":"array","items":{"type":"string"}},"annotations":{"$ref":"#/definitions/stringMap"},"output":{"type":"string"},"provenance":{"type":"object","additionalProperties":{"type":"string"}},"dependencies":{"type":"array","items":{"$ref":"#/definitions/dependencyLayer"}}},"definitions":{"digest":{"type":"string","pattern":"^sha256:[a-f0-9]{64}$"},"stringMap":{"type":"object","additionalProperties":{"type":"string"}},"inputFile":{"type":"object","additionalProperties":false,"required":["path","sha256"],"properties":{"path":{"type":"string"},"sha256":{"type":"string","pattern":"^[a-f0-9]{64}$"}}},"descriptor":{"type":"object","additionalProperties":false,"required":["mediaType","digest","size"],"properties":{"mediaType":{"type":"string"},"digest":{"$ref":"#/definitions/digest"},"size":{"type":"integer","minimum":0}}},"baseLayer":{"type":"object","additionalProperties":false,"required":["mediaType","digest","size","diffId"],"properties":{"mediaType":{"type":"string"},"digest":{"$ref":"#/definitions/digest"},"size":{"type":"integer","minimum":0},"diffId":{"$ref":"#/definitions/digest"}}},"base":{"type":"object","additionalProperties":false,"required":["ref","images"],"properties":{"ref":{"type":"string"},"digest":{"$ref":"#/definitions/digest"},"images":{"type":"array","items":{"type":"object","additionalProperties":false,"required":["platform","layers","inherited"],"properties":{"platform":{"type":"string"},"manifest":{"$ref":"#/definitions/descriptor"},"config":{"$ref":"#/definitions/descriptor"},"layers":{"type":"array","items":{"$ref":"#/definitions/baseLayer"}},"inherited":{"type":"object","required":["config","history"],"additionalProperties":false,"properties":{"config":{"type":"object"},"history":{"type":"array","items":{"type":"object"}}}}}}}}},"entry":{"type":"object","additionalProperties":false,"required":["path","type","mode"],"properties":{"path":{"type":"string"},"type":{"enum":["dir","file","symlink"]},"mode":{"type":"string","pattern":"^0[0-7]{3,4}$"},"uid":{"type":"integer","minimum":0},"gid":{"type":"integer","minimum":0},"size":{"type":"integer","minimum":0},"sha256":{"type":"string","pattern":"^[a-f0-9]{64}$"},"source":{"type":"string"},"content":{"type":"string"},"target":{"type":"string"},"bytecodeOf":{"type":"string"}}},"layer":{"type":"object","additionalProperties":false,"required":["name","createdBy","diffId","size","entries","mtime","include","exclude"],"properties":{"name":{"type":"string"},"createdBy":{"type":"string"},"diffId":{"$ref":"#/definitions/digest"},"size":{"type":"integer","minimum":0},"entries":{"type":"array","items":{"$ref":"#/definitions/entry"}},"mtime":{"type":"integer","minimum":0},"include":{"type":"array","items":{"type":"string"}},"exclude":{"type":"array","items":{"type":"string"}}}},"image":{"type":"object","additionalProperties":false,"required":["platform","config","configDigest","configSize"],"properties":{"platform":{"type":"string"},"configDigest":{"$ref":"#/definitions/digest"},"configSize":{"type":"integer","minimum":0},"config":{"$ref":"#/definitions/imageConfig"}}},"imageConfig":{"type":"object","required":["architecture","os","config","rootfs","history","created"],"properties":{"created":{"type":"string"},"architecture":{"type":"string"},"os":{"type":"string"},"variant":{"type":"string"},"config":{"type":"object","properties":{"User":{"type":"string"},"Env":{"type":"array","items":{"type":"string"}},"Entrypoint":{"type":"array","items":{"type":"string"}},"Cmd":{"type":"array","items":{"type":"string"}},"WorkingDir":{"type":"string"},"ExposedPorts":{"type":"object","additionalProperties":{"type":"object"}},"Labels":{"$ref":"#/definitions/stringMap"}}},"rootfs":{"type":"object","required":["type","diff_ids"],"properties":{"type":{"const":"layers"},"diff_ids":{"type":"array","items":{"$ref":"#/definitions/digest"}}}},"history":{"type":"array","items":{"type":"object","properties":{"created":{"type":"string"},"created_by":{"type":"string"},"comment":{"type":"string"},"empty_layer":{"type":"boolean"}}}}}},"dependencyLayer":{"type":"object","additionalProperties":false,"required":["platform","lock","target","mtime","packages","layers"],"properties":{"platform":{"type":"string"},"lock":{"type":"string"},"target":{"type":"object","additionalProperties":false,"required":["python","libc","tag"],"properties":{"python":{"type":"string"},"libc":{"type":"string"},"tag":{"type":"string"}}},"mtime":{"type":"integer","minimum":0},"packages":{"type":"array","items":{"$ref":"#/definitions/lockedWheel"}},"source":{"enum":["lock","resolved","venv"]},"entries":{"type":"array","items":{"$ref":"#/definitions/entry"}},"layers":{"type":"array","minItems":1,"items":{"$ref":"#/definitions/dependencyPart"}}}},"lockedWheel":{"type":"object","additionalProperties":false,"required":["name","version","filename","sha256","size","requested"],"properties":{"name":{"type":"string"},"version":{"type":"string"},"filename":{"type":"string"},"url":{"type":"string"},"path":{"type":"string"},"sha256":{"type":"string","pattern":"^[a-f0-9]{64}$"},"size":{"type":"integer","minimum":0},"requested":{"type":"boolean"},"tag":{"type":"string"},"sdist":{"type":"object","additionalProperties":false,"required":["filename","sha256"],"properties":{"filename":{"type":"string"},"url":{"type":"string"},"path":{"type":"string"},"sha256":{"type":"string"}}},"directUrl":{"type":"string"},"requiredBy":{"type":"array","items":{"type":"string"}},"member":{"type":"object","additionalProperties":false,"required":["directory","files"],"properties":{"directory":{"type":"string"},"files":{"type":"array","items":{"type":"object","additionalProperties":false,"required":["path","sha256","size"],"properties":{"path":{"type":"string"},"sha256":{"type":"string","pattern":"^[a-f0-9]{64}$"},"size":{"type":"integer","minimum":0}}}}}}}},"dependencyPart":{"type":"object","additionalProperties":false,"required":["name","createdBy","diffId","size","packages"],"properties":{"name":{"type":"string"},"createdBy":{"type":"string"},"diffId":{"$ref":"#/definitions/digest"},"size":{"type":"integer","minimum":0},"packages":{"type":"array","items":{"type":"string"}}}}}};
const pattern16 = new RegExp("^[a-f0-9]{64}$", "u");
const pattern17 = new RegExp("^sha256:[a-f0-9]{64}$", "u");

function validate18(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.mediaType === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "mediaType"},message:"must have required property '"+"mediaType"+"'",data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.digest === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "digest"},message:"must have required property '"+"digest"+"'",data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(data.size === undefined){
const err2 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "size"},message:"must have required property '"+"size"+"'",data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
for(const key0 in data){
if(!(((key0 === "mediaType") || (key0 === "digest")) || (key0 === "size"))){
const err3 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.mediaType !== undefined){
let data0 = data.mediaType;
if(typeof data0 !== "string"){
const err4 = {instancePath:instancePath+"/mediaType",schemaPath:"#/properties/mediaType/type",keyword:"type",params:{type: "string"},message:"must be string",data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.digest !== undefined){
let data1 = data.digest;
if(typeof data1 === "string"){
if(!pattern17.test(data1)){
const err5 = {instancePath:instancePath+"/digest",schemaPath:"#/definitions/digest/pattern",keyword:"pattern",params:{pattern: "^sha256:[a-f0-9]{64}$"},message:"must match pattern \""+"^sha256:[a-f0-9]{64}$"+"\"",data:data1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
else {
const err6 = {instancePath:instancePath+"/digest",schemaPath:"#/definitions/digest/type",keyword:"type",params:{type: "string"},message:"must be string",data:data1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.size !== undefined){
let data2 = data.size;
if(!((typeof data2 == "number") && (!(data2 % 1) && !isNaN(data2)))){
const err7 = {instancePath:instancePath+"/size",schemaPath:"#/properties/size/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data2};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
if(typeof data2 == "number"){
if(data2 < 0 || isNaN(data2)){
const err8 = {instancePath:instancePath+"/size",schemaPath:"#/properties/size/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",data:data2};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
}
}
else {
const err9 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",data};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
validate18.errors = vErrors;
return errors === 0;
}


function validate21(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.mediaType === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "mediaType"},message:"must have required property '"+"mediaType"+"'",data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.digest === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "digest"},message:"must have required property '"+"digest"+"'",data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(data.size === undefined){
const err2 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "size"},message:"must have required property '"+"size"+"'",data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(data.diffId === undefined){
const err3 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "diffId"},message:"must have required property '"+"diffId"+"'",data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
for(const key0 in data){
if(!((((key0 === "mediaType") || (key0 === "digest")) || (key0 === "size")) || (key0 === "diffId"))){
const err4 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",data};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.mediaType !== undefined){
let data0 = data.mediaType;
if(typeof data0 !== "string"){
const err5 = {instancePath:instancePath+"/mediaType",schemaPath:"#/properties/mediaType/type",keyword:"type",params:{type: "string"},message:"must be string",data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.digest !== undefined){
let data1 = data.digest;
if(typeof data1 === "string"){
if(!pattern17.test(data1)){
const err6 = {instancePath:instancePath+"/digest",schemaPath:"#/definitions/digest/pattern",keyword:"pattern",params:{pattern: "^sha256:[a-f0-9]{64}$"},message:"must match pattern \""+"^sha256:[a-f0-9]{64}$"+"\"",data:data1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
else {
const err7 = {instancePath:instancePath+"/digest",schemaPath:"#/definitions/digest/type",keyword:"type",params:{type: "string"},message:"must be string",data:data1};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
if(data.size !== undefined){
let data2 = data.size;
if(!((typeof data2 == "number") && (!(data2 % 1) && !isNaN(data2)))){
const err8 = {instancePath:instancePath+"/size",schemaPath:"#/properties/size/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data2};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
if(typeof data2 == "number"){
if(data2 < 0 || isNaN(data2)){
const err9 = {instancePath:instancePath+"/size",schemaPath:"#/properties/size/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",data:data2};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
}
if(data.diffId !== undefined){
let data3 = data.diffId;
if(typeof data3 === "string"){
if(!pattern17.test(data3)){
const err10 = {instancePath:instancePath+"/diffId",schemaPath:"#/definitions/digest/pattern",keyword:"pattern",params:{pattern: "^sha256:[a-f0-9]{64}$"},message:"must match pattern \""+"^sha256:[a-f0-9]{64}$"+"\"",data:data3};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
else {
const err11 = {instancePath:instancePath+"/diffId",schemaPath:"#/definitions/digest/type",keyword:"type",params:{type: "string"},message:"must be string",data:data3};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
}
else {
const err12 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",data};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
validate21.errors = vErrors;
return errors === 0;
}


function validate17(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.ref === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "ref"},message:"must have required property '"+"ref"+"'",data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.images === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "images"},message:"must have required property '"+"images"+"'",data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
for(const key0 in data){
if(!(((key0 === "ref") || (key0 === "digest")) || (key0 === "images"))){
const err2 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.ref !== undefined){
let data0 = data.ref;
if(typeof data0 !== "string"){
const err3 = {instancePath:instancePath+"/ref",schemaPath:"#/properties/ref/type",keyword:"type",params:{type: "string"},message:"must be string",data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.digest !== undefined){
let data1 = data.digest;
if(typeof data1 === "string"){
if(!pattern17.test(data1)){
const err4 = {instancePath:instancePath+"/digest",schemaPath:"#/definitions/digest/pattern",keyword:"pattern",params:{pattern: "^sha256:[a-f0-9]{64}$"},message:"must match pattern \""+"^sha256:[a-f0-9]{64}$"+"\"",data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/digest",schemaPath:"#/definitions/digest/type",keyword:"type",params:{type: "string"},message:"must be string",data:data1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.images !== undefined){
let data2 = data.images;
if(Array.isArray(data2)){
const len0 = data2.length;
for(let i0=0; i0<len0; i0++){
let data3 = data2[i0];
if(data3 && typeof data3 == "object" && !Array.isArray(data3)){
if(data3.platform === undefined){
const err6 = {instancePath:instancePath+"/images/" + i0,schemaPath:"#/properties/images/items/required",keyword:"required",params:{missingProperty: "platform"},message:"must have required property '"+"platform"+"'",data:data3};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if(data3.layers === undefined){
const err7 = {instancePath:instancePath+"/images/" + i0,schemaPath:"#/properties/images/items/required",keyword:"required",params:{missingProperty: "layers"},message:"must have required property '"+"layers"+"'",data:data3};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
if(data3.inherited === undefined){
const err8 = {instancePath:instancePath+"/images/" + i0,schemaPath:"#/properties/images/items/required",keyword:"required",params:{missingProperty: "inherited"},message:"must have required property '"+"inherited"+"'",data:data3};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
for(const key1 in data3){
if(!(((((key1 === "platform") || (key1 === "manifest")) || (key1 === "config")) || (key1 === "layers")) || (key1 === "inherited"))){
const err9 = {instancePath:instancePath+"/images/" + i0,schemaPath:"#/properties/images/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",data:data3};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data3.platform !== undefined){
let data4 = data3.platform;
if(typeof data4 !== "string"){
const err10 = {instancePath:instancePath+"/images/" + i0+"/platform",schemaPath:"#/properties/images/items/properties/platform/type",keyword:"type",params:{type: "string"},message:"must be string",data:data4};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
if(data3.manifest !== undefined){
if(!(validate18(data3.manifest, {instancePath:instancePath+"/images/" + i0+"/manifest",parentData:data3,parentDataProperty:"manifest",rootData}))){
vErrors = vErrors === null ? validate18.errors : vErrors.concat(validate18.errors);
errors = vErrors.length;
}
}
if(data3.config !== undefined){
if(!(validate18(data3.config, {instancePath:instancePath+"/images/" + i0+"/config",parentData:data3,parentDataProperty:"config",rootData}))){
vErrors = vErrors === null ? validate18.errors : vErrors.concat(validate18.errors);
errors = vErrors.length;
}
}
if(data3.layers !== undefined){
let data7 = data3.layers;
if(Array.isArray(data7)){
const len1 = data7.length;
for(let i1=0; i1<len1; i1++){
if(!(validate21(data7[i1], {instancePath:instancePath+"/images/" + i0+"/layers/" + i1,parentData:data7,parentDataProperty:i1,rootData}))){
vErrors = vErrors === null ? validate21.errors : vErrors.concat(validate21.errors);
errors = vErrors.length;
}
}
}
else {
const err11 = {instancePath:instancePath+"/images/" + i0+"/layers",schemaPath:"#/properties/images/items/properties/layers/type",keyword:"type",params:{type: "array"},message:"must be array",data:data7};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
if(data3.inherited !== undefined){
let data9 = data3.inherited;
if(data9 && typeof data9 == "object" && !Array.isArray(data9)){
if(data9.config === undefined){
const err12 = {instancePath:instancePath+"/images/" + i0+"/inherited",schemaPath:"#/properties/images/items/properties/inherited/required",keyword:"required",params:{missingProperty: "config"},message:"must have required property '"+"config"+"'",data:data9};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
if(data9.history === undefined){
const err13 = {instancePath:instancePath+"/images/" + i0+"/inherited",schemaPath:"#/properties/images/items/properties/inherited/required",keyword:"required",params:{missingProperty: "history"},message:"must have required property '"+"history"+"'",data:data9};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
for(const key2 in data9){
if(!((key2 === "config") || (key2 === "history"))){
const err14 = {instancePath:instancePath+"/images/" + i0+"/inherited",schemaPath:"#/properties/images/items/properties/inherited/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties",data:data9};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data9.config !== undefined){
let data10 = data9.config;
if(!(data10 && typeof data10 == "object" && !Array.isArray(data10))){
const err15 = {instancePath:instancePath+"/images/" + i0+"/inherited/config",schemaPath:"#/properties/images/items/properties/inherited/properties/config/type",keyword:"type",params:{type: "object"},message:"must be object",data:data10};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
if(data9.history !== undefined){
let data11 = data9.history;
if(Array.isArray(data11)){
const len2 = data11.length;
for(let i2=0; i2<len2; i2++){
let data12 = data11[i2];
if(!(data12 && typeof data12 == "object" && !Array.isArray(data12))){
const err16 = {instancePath:instancePath+"/images/" + i0+"/inherited/history/" + i2,schemaPath:"#/properties/images/items/properties/inherited/properties/history/items/type",keyword:"type",params:{type: "object"},message:"must be object",data:data12};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
}
else {
const err17 = {instancePath:instancePath+"/images/" + i0+"/inherited/history",schemaPath:"#/properties/images/items/properties/inherited/properties/history/type",keyword:"type",params:{type: "array"},message:"must be array",data:data11};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
}
else {
const err18 = {instancePath:instancePath+"/images/" + i0+"/inherited",schemaPath:"#/properties/images/items/properties/inherited/type",keyword:"type",params:{type: "object"},message:"must be object",data:data9};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
}
else {
const err19 = {instancePath:instancePath+"/images/" + i0,schemaPath:"#/properties/images/items/type",keyword:"type",params:{type: "object"},message:"must be object",data:data3};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
}
else {
const err20 = {instancePath:instancePath+"/images",schemaPath:"#/properties/images/type",keyword:"type",params:{type: "array"},message:"must be array",data:data2};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
}
else {
const err21 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",data};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
validate17.errors = vErrors;
return errors === 0;
}

const schema64 = {"type":"object","additionalProperties":false,"required":["path","type","mode"],"properties":{"path":{"type":"string"},"type":{"enum":["dir","file","symlink"]},"mode":{"type":"string","pattern":"^0[0-7]{3,4}$"},"uid":{"type":"integer","minimum":0},"gid":{"type":"integer","minimum":0},"size":{"type":"integer","minimum":0},"sha256":{"type":"string","pattern":"^[a-f0-9]{64}$"},"source":{"type":"string"},"content":{"type":"string"},"target":{"type":"string"},"bytecodeOf":{"type":"string"}}};
const pattern22 = new RegExp("^0[0-7]{3,4}$", "u");

function validate24(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.name === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'",data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.createdBy === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "createdBy"},message:"must have required property '"+"createdBy"+"'",data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(data.diffId === undefined){
const err2 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "diffId"},message:"must have required property '"+"diffId"+"'",data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(data.size === undefined){
const err3 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "size"},message:"must have required property '"+"size"+"'",data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(data.entries === undefined){
const err4 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "entries"},message:"must have required property '"+"entries"+"'",data};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
if(data.mtime === undefined){
const err5 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "mtime"},message:"must have required property '"+"mtime"+"'",data};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
if(data.include === undefined){
const err6 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "include"},message:"must have required property '"+"include"+"'",data};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if(data.exclude === undefined){
const err7 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "exclude"},message:"must have required property '"+"exclude"+"'",data};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
for(const key0 in data){
if(!((((((((key0 === "name") || (key0 === "createdBy")) || (key0 === "diffId")) || (key0 === "size")) || (key0 === "entries")) || (key0 === "mtime")) || (key0 === "include")) || (key0 === "exclude"))){
const err8 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",data};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data.name !== undefined){
let data0 = data.name;
if(typeof data0 !== "string"){
const err9 = {instancePath:instancePath+"/name",schemaPath:"#/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",data:data0};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data.createdBy !== undefined){
let data1 = data.createdBy;
if(typeof data1 !== "string"){
const err10 = {instancePath:instancePath+"/createdBy",schemaPath:"#/properties/createdBy/type",keyword:"type",params:{type: "string"},message:"must be string",data:data1};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
if(data.diffId !== undefined){
let data2 = data.diffId;
if(typeof data2 === "string"){
if(!pattern17.test(data2)){
const err11 = {instancePath:instancePath+"/diffId",schemaPath:"#/definitions/digest/pattern",keyword:"pattern",params:{pattern: "^sha256:[a-f0-9]{64}$"},message:"must match pattern \""+"^sha256:[a-f0-9]{64}$"+"\"",data:data2};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
else {
const err12 = {instancePath:instancePath+"/diffId",schemaPath:"#/definitions/digest/type",keyword:"type",params:{type: "string"},message:"must be string",data:data2};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data.size !== undefined){
let data3 = data.size;
if(!((typeof data3 == "number") && (!(data3 % 1) && !isNaN(data3)))){
const err13 = {instancePath:instancePath+"/size",schemaPath:"#/properties/size/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data3};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
if(typeof data3 == "number"){
if(data3 < 0 || isNaN(data3)){
const err14 = {instancePath:instancePath+"/size",schemaPath:"#/properties/size/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",data:data3};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
}
if(data.entries !== undefined){
let data4 = data.entries;
if(Array.isArray(data4)){
const len0 = data4.length;
for(let i0=0; i0<len0; i0++){
let data5 = data4[i0];
if(data5 && typeof data5 == "object" && !Array.isArray(data5)){
if(data5.path === undefined){
const err15 = {instancePath:instancePath+"/entries/" + i0,schemaPath:"#/definitions/entry/required",keyword:"required",params:{missingProperty: "path"},message:"must have required property '"+"path"+"'",data:data5};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
if(data5.type === undefined){
const err16 = {instancePath:instancePath+"/entries/" + i0,schemaPath:"#/definitions/entry/required",keyword:"required",params:{missingProperty: "type"},message:"must have required property '"+"type"+"'",data:data5};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
if(data5.mode === undefined){
const err17 = {instancePath:instancePath+"/entries/" + i0,schemaPath:"#/definitions/entry/required",keyword:"required",params:{missingProperty: "mode"},message:"must have required property '"+"mode"+"'",data:data5};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
for(const key1 in data5){
if(!(func2.call(schema64.properties, key1))){
const err18 = {instancePath:instancePath+"/entries/" + i0,schemaPath:"#/definitions/entry/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",data:data5};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
if(data5.path !== undefined){
let data6 = data5.path;
if(typeof data6 !== "string"){
const err19 = {instancePath:instancePath+"/entries/" + i0+"/path",schemaPath:"#/definitions/entry/properties/path/type",keyword:"type",params:{type: "string"},message:"must be string",data:data6};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
if(data5.type !== undefined){
let data7 = data5.type;
if(!(((data7 === "dir") || (data7 === "file")) || (data7 === "symlink"))){
const err20 = {instancePath:instancePath+"/entries/" + i0+"/type",schemaPath:"#/definitions/entry/properties/type/enum",keyword:"enum",params:{allowedValues: schema64.properties.type.enum},message:"must be equal to one of the allowed values",data:data7};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
if(data5.mode !== undefined){
let data8 = data5.mode;
if(typeof data8 === "string"){
if(!pattern22.test(data8)){
const err21 = {instancePath:instancePath+"/entries/" + i0+"/mode",schemaPath:"#/definitions/entry/properties/mode/pattern",keyword:"pattern",params:{pattern: "^0[0-7]{3,4}$"},message:"must match pattern \""+"^0[0-7]{3,4}$"+"\"",data:data8};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
else {
const err22 = {instancePath:instancePath+"/entries/" + i0+"/mode",schemaPath:"#/definitions/entry/properties/mode/type",keyword:"type",params:{type: "string"},message:"must be string",data:data8};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
if(data5.uid !== undefined){
let data9 = data5.uid;
if(!((typeof data9 == "number") && (!(data9 % 1) && !isNaN(data9)))){
const err23 = {instancePath:instancePath+"/entries/" + i0+"/uid",schemaPath:"#/definitions/entry/properties/uid/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data9};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
if(typeof data9 == "number"){
if(data9 < 0 || isNaN(data9)){
const err24 = {instancePath:instancePath+"/entries/" + i0+"/uid",schemaPath:"#/definitions/entry/properties/uid/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",data:data9};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
}
if(data5.gid !== undefined){
let data10 = data5.gid;
if(!((typeof data10 == "number") && (!(data10 % 1) && !isNaN(data10)))){
const err25 = {instancePath:instancePath+"/entries/" + i0+"/gid",schemaPath:"#/definitions/entry/properties/gid/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data10};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
if(typeof data10 == "number"){
if(data10 < 0 || isNaN(data10)){
const err26 = {instancePath:instancePath+"/entries/" + i0+"/gid",schemaPath:"#/definitions/entry/properties/gid/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",data:data10};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
}
if(data5.size !== undefined){
let data11 = data5.size;
if(!((typeof data11 == "number") && (!(data11 % 1) && !isNaN(data11)))){
const err27 = {instancePath:instancePath+"/entries/" + i0+"/size",schemaPath:"#/definitions/entry/properties/size/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data11};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
if(typeof data11 == "number"){
if(data11 < 0 || isNaN(data11)){
const err28 = {instancePath:instancePath+"/entries/" + i0+"/size",schemaPath:"#/definitions/entry/properties/size/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",data:data11};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
}
if(data5.sha256 !== undefined){
let data12 = data5.sha256;
if(typeof data12 === "string"){
if(!pattern16.test(data12)){
const err29 = {instancePath:instancePath+"/entries/" + i0+"/sha256",schemaPath:"#/definitions/entry/properties/sha256/pattern",keyword:"pattern",params:{pattern: "^[a-f0-9]{64}$"},message:"must match pattern \""+"^[a-f0-9]{64}$"+"\"",data:data12};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
else {
const err30 = {instancePath:instancePath+"/entries/" + i0+"/sha256",schemaPath:"#/definitions/entry/properties/sha256/type",keyword:"type",params:{type: "string"},message:"must be string",data:data12};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
if(data5.source !== undefined){
let data13 = data5.source;
if(typeof data13 !== "string"){
const err31 = {instancePath:instancePath+"/entries/" + i0+"/source",schemaPath:"#/definitions/entry/properties/source/type",keyword:"type",params:{type: "string"},message:"must be string",data:data13};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
if(data5.content !== undefined){
let data14 = data5.content;
if(typeof data14 !== "string"){
const err32 = {instancePath:instancePath+"/entries/" + i0+"/content",schemaPath:"#/definitions/entry/properties/content/type",keyword:"type",params:{type: "string"},message:"must be string",data:data14};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
if(data5.target !== undefined){
let data15 = data5.target;
if(typeof data15 !== "string"){
const err33 = {instancePath:instancePath+"/entries/" + i0+"/target",schemaPath:"#/definitions/entry/properties/target/type",keyword:"type",params:{type: "string"},message:"must be string",data:data15};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
if(data5.bytecodeOf !== undefined){
let data16 = data5.bytecodeOf;
if(typeof data16 !== "string"){
const err34 = {instancePath:instancePath+"/entries/" + i0+"/bytecodeOf",schemaPath:"#/definitions/entry/properties/bytecodeOf/type",keyword:"type",params:{type: "string"},message:"must be string",data:data16};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
}
else {
const err35 = {instancePath:instancePath+"/entries/" + i0,schemaPath:"#/definitions/entry/type",keyword:"type",params:{type: "object"},message:"must be object",data:data5};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
}
else {
const err36 = {instancePath:instancePath+"/entries",schemaPath:"#/properties/entries/type",keyword:"type",params:{type: "array"},message:"must be array",data:data4};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
}
if(data.mtime !== undefined){
let data17 = data.mtime;
if(!((typeof data17 == "number") && (!(data17 % 1) && !isNaN(data17)))){
const err37 = {instancePath:instancePath+"/mtime",schemaPath:"#/properties/mtime/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data17};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
if(typeof data17 == "number"){
if(data17 < 0 || isNaN(data17)){
const err38 = {instancePath:instancePath+"/mtime",schemaPath:"#/properties/mtime/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",data:data17};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
}
}
if(data.include !== undefined){
let data18 = data.include;
if(Array.isArray(data18)){
const len1 = data18.length;
for(let i1=0; i1<len1; i1++){
let data19 = data18[i1];
if(typeof data19 !== "string"){
const err39 = {instancePath:instancePath+"/include/" + i1,schemaPath:"#/properties/include/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data19};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
}
else {
const err40 = {instancePath:instancePath+"/include",schemaPath:"#/properties/include/type",keyword:"type",params:{type: "array"},message:"must be array",data:data18};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
}
if(data.exclude !== undefined){
let data20 = data.exclude;
if(Array.isArray(data20)){
const len2 = data20.length;
for(let i2=0; i2<len2; i2++){
let data21 = data20[i2];
if(typeof data21 !== "string"){
const err41 = {instancePath:instancePath+"/exclude/" + i2,schemaPath:"#/properties/exclude/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data21};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
}
}
else {
const err42 = {instancePath:instancePath+"/exclude",schemaPath:"#/properties/exclude/type",keyword:"type",params:{type: "array"},message:"must be array",data:data20};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
}
}
else {
const err43 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",data};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
validate24.errors = vErrors;
return errors === 0;
}


function validate27(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.architecture === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "architecture"},message:"must have required property '"+"architecture"+"'",data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.os === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "os"},message:"must have required property '"+"os"+"'",data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(data.config === undefined){
const err2 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "config"},message:"must have required property '"+"config"+"'",data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(data.rootfs === undefined){
const err3 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "rootfs"},message:"must have required property '"+"rootfs"+"'",data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(data.history === undefined){
const err4 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "history"},message:"must have required property '"+"history"+"'",data};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
if(data.created === undefined){
const err5 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "created"},message:"must have required property '"+"created"+"'",data};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
if(data.created !== undefined){
let data0 = data.created;
if(typeof data0 !== "string"){
const err6 = {instancePath:instancePath+"/created",schemaPath:"#/properties/created/type",keyword:"type",params:{type: "string"},message:"must be string",data:data0};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.architecture !== undefined){
let data1 = data.architecture;
if(typeof data1 !== "string"){
const err7 = {instancePath:instancePath+"/architecture",schemaPath:"#/properties/architecture/type",keyword:"type",params:{type: "string"},message:"must be string",data:data1};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
if(data.os !== undefined){
let data2 = data.os;
if(typeof data2 !== "string"){
const err8 = {instancePath:instancePath+"/os",schemaPath:"#/properties/os/type",keyword:"type",params:{type: "string"},message:"must be string",data:data2};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data.variant !== undefined){
let data3 = data.variant;
if(typeof data3 !== "string"){
const err9 = {instancePath:instancePath+"/variant",schemaPath:"#/properties/variant/type",keyword:"type",params:{type: "string"},message:"must be string",data:data3};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data.config !== undefined){
let data4 = data.config;
if(data4 && typeof data4 == "object" && !Array.isArray(data4)){
if(data4.User !== undefined){
let data5 = data4.User;
if(typeof data5 !== "string"){
const err10 = {instancePath:instancePath+"/config/User",schemaPath:"#/properties/config/properties/User/type",keyword:"type",params:{type: "string"},message:"must be string",data:data5};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
if(data4.Env !== undefined){
let data6 = data4.Env;
if(Array.isArray(data6)){
const len0 = data6.length;
for(let i0=0; i0<len0; i0++){
let data7 = data6[i0];
if(typeof data7 !== "string"){
const err11 = {instancePath:instancePath+"/config/Env/" + i0,schemaPath:"#/properties/config/properties/Env/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data7};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
}
else {
const err12 = {instancePath:instancePath+"/config/Env",schemaPath:"#/properties/config/properties/Env/type",keyword:"type",params:{type: "array"},message:"must be array",data:data6};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data4.Entrypoint !== undefined){
let data8 = data4.Entrypoint;
if(Array.isArray(data8)){
const len1 = data8.length;
for(let i1=0; i1<len1; i1++){
let data9 = data8[i1];
if(typeof data9 !== "string"){
const err13 = {instancePath:instancePath+"/config/Entrypoint/" + i1,schemaPath:"#/properties/config/properties/Entrypoint/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data9};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
}
else {
const err14 = {instancePath:instancePath+"/config/Entrypoint",schemaPath:"#/properties/config/properties/Entrypoint/type",keyword:"type",params:{type: "array"},message:"must be array",data:data8};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data4.Cmd !== undefined){
let data10 = data4.Cmd;
if(Array.isArray(data10)){
const len2 = data10.length;
for(let i2=0; i2<len2; i2++){
let data11 = data10[i2];
if(typeof data11 !== "string"){
const err15 = {instancePath:instancePath+"/config/Cmd/" + i2,schemaPath:"#/properties/config/properties/Cmd/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data11};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
}
else {
const err16 = {instancePath:instancePath+"/config/Cmd",schemaPath:"#/properties/config/properties/Cmd/type",keyword:"type",params:{type: "array"},message:"must be array",data:data10};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data4.WorkingDir !== undefined){
let data12 = data4.WorkingDir;
if(typeof data12 !== "string"){
const err17 = {instancePath:instancePath+"/config/WorkingDir",schemaPath:"#/properties/config/properties/WorkingDir/type",keyword:"type",params:{type: "string"},message:"must be string",data:data12};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
if(data4.ExposedPorts !== undefined){
let data13 = data4.ExposedPorts;
if(data13 && typeof data13 == "object" && !Array.isArray(data13)){
for(const key0 in data13){
let data14 = data13[key0];
if(!(data14 && typeof data14 == "object" && !Array.isArray(data14))){
const err18 = {instancePath:instancePath+"/config/ExposedPorts/" + key0.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/config/properties/ExposedPorts/additionalProperties/type",keyword:"type",params:{type: "object"},message:"must be object",data:data14};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
}
else {
const err19 = {instancePath:instancePath+"/config/ExposedPorts",schemaPath:"#/properties/config/properties/ExposedPorts/type",keyword:"type",params:{type: "object"},message:"must be object",data:data13};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
if(data4.Labels !== undefined){
let data15 = data4.Labels;
if(data15 && typeof data15 == "object" && !Array.isArray(data15)){
for(const key1 in data15){
let data16 = data15[key1];
if(typeof data16 !== "string"){
const err20 = {instancePath:instancePath+"/config/Labels/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/stringMap/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",data:data16};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
}
else {
const err21 = {instancePath:instancePath+"/config/Labels",schemaPath:"#/definitions/stringMap/type",keyword:"type",params:{type: "object"},message:"must be object",data:data15};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
}
else {
const err22 = {instancePath:instancePath+"/config",schemaPath:"#/properties/config/type",keyword:"type",params:{type: "object"},message:"must be object",data:data4};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
if(data.rootfs !== undefined){
let data17 = data.rootfs;
if(data17 && typeof data17 == "object" && !Array.isArray(data17)){
if(data17.type === undefined){
const err23 = {instancePath:instancePath+"/rootfs",schemaPath:"#/properties/rootfs/required",keyword:"required",params:{missingProperty: "type"},message:"must have required property '"+"type"+"'",data:data17};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
if(data17.diff_ids === undefined){
const err24 = {instancePath:instancePath+"/rootfs",schemaPath:"#/properties/rootfs/required",keyword:"required",params:{missingProperty: "diff_ids"},message:"must have required property '"+"diff_ids"+"'",data:data17};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
if(data17.type !== undefined){
let data18 = data17.type;
if("layers" !== data18){
const err25 = {instancePath:instancePath+"/rootfs/type",schemaPath:"#/properties/rootfs/properties/type/const",keyword:"const",params:{allowedValue: "layers"},message:"must be equal to constant",data:data18};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
if(data17.diff_ids !== undefined){
let data19 = data17.diff_ids;
if(Array.isArray(data19)){
const len3 = data19.length;
for(let i3=0; i3<len3; i3++){
let data20 = data19[i3];
if(typeof data20 === "string"){
if(!pattern17.test(data20)){
const err26 = {instancePath:instancePath+"/rootfs/diff_ids/" + i3,schemaPath:"#/definitions/digest/pattern",keyword:"pattern",params:{pattern: "^sha256:[a-f0-9]{64}$"},message:"must match pattern \""+"^sha256:[a-f0-9]{64}$"+"\"",data:data20};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
else {
const err27 = {instancePath:instancePath+"/rootfs/diff_ids/" + i3,schemaPath:"#/definitions/digest/type",keyword:"type",params:{type: "string"},message:"must be string",data:data20};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
}
else {
const err28 = {instancePath:instancePath+"/rootfs/diff_ids",schemaPath:"#/properties/rootfs/properties/diff_ids/type",keyword:"type",params:{type: "array"},message:"must be array",data:data19};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
}
else {
const err29 = {instancePath:instancePath+"/rootfs",schemaPath:"#/properties/rootfs/type",keyword:"type",params:{type: "object"},message:"must be object",data:data17};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
if(data.history !== undefined){
let data21 = data.history;
if(Array.isArray(data21)){
const len4 = data21.length;
for(let i4=0; i4<len4; i4++){
let data22 = data21[i4];
if(data22 && typeof data22 == "object" && !Array.isArray(data22)){
if(data22.created !== undefined){
let data23 = data22.created;
if(typeof data23 !== "string"){
const err30 = {instancePath:instancePath+"/history/" + i4+"/created",schemaPath:"#/properties/history/items/properties/created/type",keyword:"type",params:{type: "string"},message:"must be string",data:data23};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
if(data22.created_by !== undefined){
let data24 = data22.created_by;
if(typeof data24 !== "string"){
const err31 = {instancePath:instancePath+"/history/" + i4+"/created_by",schemaPath:"#/properties/history/items/properties/created_by/type",keyword:"type",params:{type: "string"},message:"must be string",data:data24};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
if(data22.comment !== undefined){
let data25 = data22.comment;
if(typeof data25 !== "string"){
const err32 = {instancePath:instancePath+"/history/" + i4+"/comment",schemaPath:"#/properties/history/items/properties/comment/type",keyword:"type",params:{type: "string"},message:"must be string",data:data25};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
if(data22.empty_layer !== undefined){
let data26 = data22.empty_layer;
if(typeof data26 !== "boolean"){
const err33 = {instancePath:instancePath+"/history/" + i4+"/empty_layer",schemaPath:"#/properties/history/items/properties/empty_layer/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data26};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
}
else {
const err34 = {instancePath:instancePath+"/history/" + i4,schemaPath:"#/properties/history/items/type",keyword:"type",params:{type: "object"},message:"must be object",data:data22};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
}
else {
const err35 = {instancePath:instancePath+"/history",schemaPath:"#/properties/history/type",keyword:"type",params:{type: "array"},message:"must be array",data:data21};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
}
else {
const err36 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",data};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
validate27.errors = vErrors;
return errors === 0;
}


function validate26(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.platform === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "platform"},message:"must have required property '"+"platform"+"'",data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.config === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "config"},message:"must have required property '"+"config"+"'",data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(data.configDigest === undefined){
const err2 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "configDigest"},message:"must have required property '"+"configDigest"+"'",data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(data.configSize === undefined){
const err3 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "configSize"},message:"must have required property '"+"configSize"+"'",data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
for(const key0 in data){
if(!((((key0 === "platform") || (key0 === "configDigest")) || (key0 === "configSize")) || (key0 === "config"))){
const err4 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",data};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.platform !== undefined){
let data0 = data.platform;
if(typeof data0 !== "string"){
const err5 = {instancePath:instancePath+"/platform",schemaPath:"#/properties/platform/type",keyword:"type",params:{type: "string"},message:"must be string",data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.configDigest !== undefined){
let data1 = data.configDigest;
if(typeof data1 === "string"){
if(!pattern17.test(data1)){
const err6 = {instancePath:instancePath+"/configDigest",schemaPath:"#/definitions/digest/pattern",keyword:"pattern",params:{pattern: "^sha256:[a-f0-9]{64}$"},message:"must match pattern \""+"^sha256:[a-f0-9]{64}$"+"\"",data:data1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
else {
const err7 = {instancePath:instancePath+"/configDigest",schemaPath:"#/definitions/digest/type",keyword:"type",params:{type: "string"},message:"must be string",data:data1};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
if(data.configSize !== undefined){
let data2 = data.configSize;
if(!((typeof data2 == "number") && (!(data2 % 1) && !isNaN(data2)))){
const err8 = {instancePath:instancePath+"/configSize",schemaPath:"#/properties/configSize/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data2};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
if(typeof data2 == "number"){
if(data2 < 0 || isNaN(data2)){
const err9 = {instancePath:instancePath+"/configSize",schemaPath:"#/properties/configSize/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",data:data2};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
}
if(data.config !== undefined){
if(!(validate27(data.config, {instancePath:instancePath+"/config",parentData:data,parentDataProperty:"config",rootData}))){
vErrors = vErrors === null ? validate27.errors : vErrors.concat(validate27.errors);
errors = vErrors.length;
}
}
}
else {
const err10 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",data};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
validate26.errors = vErrors;
return errors === 0;
}

const schema71 = {"type":"object","additionalProperties":false,"required":["platform","lock","target","mtime","packages","layers"],"properties":{"platform":{"type":"string"},"lock":{"type":"string"},"target":{"type":"object","additionalProperties":false,"required":["python","libc","tag"],"properties":{"python":{"type":"string"},"libc":{"type":"string"},"tag":{"type":"string"}}},"mtime":{"type":"integer","minimum":0},"packages":{"type":"array","items":{"$ref":"#/definitions/lockedWheel"}},"source":{"enum":["lock","resolved","venv"]},"entries":{"type":"array","items":{"$ref":"#/definitions/entry"}},"layers":{"type":"array","minItems":1,"items":{"$ref":"#/definitions/dependencyPart"}}}};
const schema72 = {"type":"object","additionalProperties":false,"required":["name","version","filename","sha256","size","requested"],"properties":{"name":{"type":"string"},"version":{"type":"string"},"filename":{"type":"string"},"url":{"type":"string"},"path":{"type":"string"},"sha256":{"type":"string","pattern":"^[a-f0-9]{64}$"},"size":{"type":"integer","minimum":0},"requested":{"type":"boolean"},"tag":{"type":"string"},"sdist":{"type":"object","additionalProperties":false,"required":["filename","sha256"],"properties":{"filename":{"type":"string"},"url":{"type":"string"},"path":{"type":"string"},"sha256":{"type":"string"}}},"directUrl":{"type":"string"},"requiredBy":{"type":"array","items":{"type":"string"}},"member":{"type":"object","additionalProperties":false,"required":["directory","files"],"properties":{"directory":{"type":"string"},"files":{"type":"array","items":{"type":"object","additionalProperties":false,"required":["path","sha256","size"],"properties":{"path":{"type":"string"},"sha256":{"type":"string","pattern":"^[a-f0-9]{64}$"},"size":{"type":"integer","minimum":0}}}}}}}};

function validate31(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.name === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'",data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.createdBy === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "createdBy"},message:"must have required property '"+"createdBy"+"'",data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(data.diffId === undefined){
const err2 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "diffId"},message:"must have required property '"+"diffId"+"'",data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(data.size === undefined){
const err3 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "size"},message:"must have required property '"+"size"+"'",data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(data.packages === undefined){
const err4 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "packages"},message:"must have required property '"+"packages"+"'",data};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
for(const key0 in data){
if(!(((((key0 === "name") || (key0 === "createdBy")) || (key0 === "diffId")) || (key0 === "size")) || (key0 === "packages"))){
const err5 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",data};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.name !== undefined){
let data0 = data.name;
if(typeof data0 !== "string"){
const err6 = {instancePath:instancePath+"/name",schemaPath:"#/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",data:data0};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.createdBy !== undefined){
let data1 = data.createdBy;
if(typeof data1 !== "string"){
const err7 = {instancePath:instancePath+"/createdBy",schemaPath:"#/properties/createdBy/type",keyword:"type",params:{type: "string"},message:"must be string",data:data1};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
if(data.diffId !== undefined){
let data2 = data.diffId;
if(typeof data2 === "string"){
if(!pattern17.test(data2)){
const err8 = {instancePath:instancePath+"/diffId",schemaPath:"#/definitions/digest/pattern",keyword:"pattern",params:{pattern: "^sha256:[a-f0-9]{64}$"},message:"must match pattern \""+"^sha256:[a-f0-9]{64}$"+"\"",data:data2};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
else {
const err9 = {instancePath:instancePath+"/diffId",schemaPath:"#/definitions/digest/type",keyword:"type",params:{type: "string"},message:"must be string",data:data2};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data.size !== undefined){
let data3 = data.size;
if(!((typeof data3 == "number") && (!(data3 % 1) && !isNaN(data3)))){
const err10 = {instancePath:instancePath+"/size",schemaPath:"#/properties/size/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data3};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
if(typeof data3 == "number"){
if(data3 < 0 || isNaN(data3)){
const err11 = {instancePath:instancePath+"/size",schemaPath:"#/properties/size/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",data:data3};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
}
if(data.packages !== undefined){
let data4 = data.packages;
if(Array.isArray(data4)){
const len0 = data4.length;
for(let i0=0; i0<len0; i0++){
let data5 = data4[i0];
if(typeof data5 !== "string"){
const err12 = {instancePath:instancePath+"/packages/" + i0,schemaPath:"#/properties/packages/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data5};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
}
else {
const err13 = {instancePath:instancePath+"/packages",schemaPath:"#/properties/packages/type",keyword:"type",params:{type: "array"},message:"must be array",data:data4};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
}
else {
const err14 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",data};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
validate31.errors = vErrors;
return errors === 0;
}


function validate30(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.platform === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "platform"},message:"must have required property '"+"platform"+"'",data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.lock === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "lock"},message:"must have required property '"+"lock"+"'",data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(data.target === undefined){
const err2 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "target"},message:"must have required property '"+"target"+"'",data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(data.mtime === undefined){
const err3 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "mtime"},message:"must have required property '"+"mtime"+"'",data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(data.packages === undefined){
const err4 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "packages"},message:"must have required property '"+"packages"+"'",data};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
if(data.layers === undefined){
const err5 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "layers"},message:"must have required property '"+"layers"+"'",data};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
for(const key0 in data){
if(!((((((((key0 === "platform") || (key0 === "lock")) || (key0 === "target")) || (key0 === "mtime")) || (key0 === "packages")) || (key0 === "source")) || (key0 === "entries")) || (key0 === "layers"))){
const err6 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",data};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.platform !== undefined){
let data0 = data.platform;
if(typeof data0 !== "string"){
const err7 = {instancePath:instancePath+"/platform",schemaPath:"#/properties/platform/type",keyword:"type",params:{type: "string"},message:"must be string",data:data0};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
if(data.lock !== undefined){
let data1 = data.lock;
if(typeof data1 !== "string"){
const err8 = {instancePath:instancePath+"/lock",schemaPath:"#/properties/lock/type",keyword:"type",params:{type: "string"},message:"must be string",data:data1};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data.target !== undefined){
let data2 = data.target;
if(data2 && typeof data2 == "object" && !Array.isArray(data2)){
if(data2.python === undefined){
const err9 = {instancePath:instancePath+"/target",schemaPath:"#/properties/target/required",keyword:"required",params:{missingProperty: "python"},message:"must have required property '"+"python"+"'",data:data2};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
if(data2.libc === undefined){
const err10 = {instancePath:instancePath+"/target",schemaPath:"#/properties/target/required",keyword:"required",params:{missingProperty: "libc"},message:"must have required property '"+"libc"+"'",data:data2};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
if(data2.tag === undefined){
const err11 = {instancePath:instancePath+"/target",schemaPath:"#/properties/target/required",keyword:"required",params:{missingProperty: "tag"},message:"must have required property '"+"tag"+"'",data:data2};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
for(const key1 in data2){
if(!(((key1 === "python") || (key1 === "libc")) || (key1 === "tag"))){
const err12 = {instancePath:instancePath+"/target",schemaPath:"#/properties/target/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",data:data2};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data2.python !== undefined){
let data3 = data2.python;
if(typeof data3 !== "string"){
const err13 = {instancePath:instancePath+"/target/python",schemaPath:"#/properties/target/properties/python/type",keyword:"type",params:{type: "string"},message:"must be string",data:data3};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
if(data2.libc !== undefined){
let data4 = data2.libc;
if(typeof data4 !== "string"){
const err14 = {instancePath:instancePath+"/target/libc",schemaPath:"#/properties/target/properties/libc/type",keyword:"type",params:{type: "string"},message:"must be string",data:data4};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data2.tag !== undefined){
let data5 = data2.tag;
if(typeof data5 !== "string"){
const err15 = {instancePath:instancePath+"/target/tag",schemaPath:"#/properties/target/properties/tag/type",keyword:"type",params:{type: "string"},message:"must be string",data:data5};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
}
else {
const err16 = {instancePath:instancePath+"/target",schemaPath:"#/properties/target/type",keyword:"type",params:{type: "object"},message:"must be object",data:data2};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data.mtime !== undefined){
let data6 = data.mtime;
if(!((typeof data6 == "number") && (!(data6 % 1) && !isNaN(data6)))){
const err17 = {instancePath:instancePath+"/mtime",schemaPath:"#/properties/mtime/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data6};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
if(typeof data6 == "number"){
if(data6 < 0 || isNaN(data6)){
const err18 = {instancePath:instancePath+"/mtime",schemaPath:"#/properties/mtime/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",data:data6};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
}
if(data.packages !== undefined){
let data7 = data.packages;
if(Array.isArray(data7)){
const len0 = data7.length;
for(let i0=0; i0<len0; i0++){
let data8 = data7[i0];
if(data8 && typeof data8 == "object" && !Array.isArray(data8)){
if(data8.name === undefined){
const err19 = {instancePath:instancePath+"/packages/" + i0,schemaPath:"#/definitions/lockedWheel/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'",data:data8};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
if(data8.version === undefined){
const err20 = {instancePath:instancePath+"/packages/" + i0,schemaPath:"#/definitions/lockedWheel/required",keyword:"required",params:{missingProperty: "version"},message:"must have required property '"+"version"+"'",data:data8};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
if(data8.filename === undefined){
const err21 = {instancePath:instancePath+"/packages/" + i0,schemaPath:"#/definitions/lockedWheel/required",keyword:"required",params:{missingProperty: "filename"},message:"must have required property '"+"filename"+"'",data:data8};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
if(data8.sha256 === undefined){
const err22 = {instancePath:instancePath+"/packages/" + i0,schemaPath:"#/definitions/lockedWheel/required",keyword:"required",params:{missingProperty: "sha256"},message:"must have required property '"+"sha256"+"'",data:data8};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
if(data8.size === undefined){
const err23 = {instancePath:instancePath+"/packages/" + i0,schemaPath:"#/definitions/lockedWheel/required",keyword:"required",params:{missingProperty: "size"},message:"must have required property '"+"size"+"'",data:data8};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
if(data8.requested === undefined){
const err24 = {instancePath:instancePath+"/packages/" + i0,schemaPath:"#/definitions/lockedWheel/required",keyword:"required",params:{missingProperty: "requested"},message:"must have required property '"+"requested"+"'",data:data8};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
for(const key2 in data8){
if(!(func2.call(schema72.properties, key2))){
const err25 = {instancePath:instancePath+"/packages/" + i0,schemaPath:"#/definitions/lockedWheel/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties",data:data8};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
if(data8.name !== undefined){
let data9 = data8.name;
if(typeof data9 !== "string"){
const err26 = {instancePath:instancePath+"/packages/" + i0+"/name",schemaPath:"#/definitions/lockedWheel/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",data:data9};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
if(data8.version !== undefined){
let data10 = data8.version;
if(typeof data10 !== "string"){
const err27 = {instancePath:instancePath+"/packages/" + i0+"/version",schemaPath:"#/definitions/lockedWheel/properties/version/type",keyword:"type",params:{type: "string"},message:"must be string",data:data10};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
if(data8.filename !== undefined){
let data11 = data8.filename;
if(typeof data11 !== "string"){
const err28 = {instancePath:instancePath+"/packages/" + i0+"/filename",schemaPath:"#/definitions/lockedWheel/properties/filename/type",keyword:"type",params:{type: "string"},message:"must be string",data:data11};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
if(data8.url !== undefined){
let data12 = data8.url;
if(typeof data12 !== "string"){
const err29 = {instancePath:instancePath+"/packages/" + i0+"/url",schemaPath:"#/definitions/lockedWheel/properties/url/type",keyword:"type",params:{type: "string"},message:"must be string",data:data12};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
if(data8.path !== undefined){
let data13 = data8.path;
if(typeof data13 !== "string"){
const err30 = {instancePath:instancePath+"/packages/" + i0+"/path",schemaPath:"#/definitions/lockedWheel/properties/path/type",keyword:"type",params:{type: "string"},message:"must be string",data:data13};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
if(data8.sha256 !== undefined){
let data14 = data8.sha256;
if(typeof data14 === "string"){
if(!pattern16.test(data14)){
const err31 = {instancePath:instancePath+"/packages/" + i0+"/sha256",schemaPath:"#/definitions/lockedWheel/properties/sha256/pattern",keyword:"pattern",params:{pattern: "^[a-f0-9]{64}$"},message:"must match pattern \""+"^[a-f0-9]{64}$"+"\"",data:data14};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
else {
const err32 = {instancePath:instancePath+"/packages/" + i0+"/sha256",schemaPath:"#/definitions/lockedWheel/properties/sha256/type",keyword:"type",params:{type: "string"},message:"must be string",data:data14};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
if(data8.size !== undefined){
let data15 = data8.size;
if(!((typeof data15 == "number") && (!(data15 % 1) && !isNaN(data15)))){
const err33 = {instancePath:instancePath+"/packages/" + i0+"/size",schemaPath:"#/definitions/lockedWheel/properties/size/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data15};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
if(typeof data15 == "number"){
if(data15 < 0 || isNaN(data15)){
const err34 = {instancePath:instancePath+"/packages/" + i0+"/size",schemaPath:"#/definitions/lockedWheel/properties/size/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",data:data15};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
}
if(data8.requested !== undefined){
let data16 = data8.requested;
if(typeof data16 !== "boolean"){
const err35 = {instancePath:instancePath+"/packages/" + i0+"/requested",schemaPath:"#/definitions/lockedWheel/properties/requested/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",data:data16};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
if(data8.tag !== undefined){
let data17 = data8.tag;
if(typeof data17 !== "string"){
const err36 = {instancePath:instancePath+"/packages/" + i0+"/tag",schemaPath:"#/definitions/lockedWheel/properties/tag/type",keyword:"type",params:{type: "string"},message:"must be string",data:data17};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
}
if(data8.sdist !== undefined){
let data18 = data8.sdist;
if(data18 && typeof data18 == "object" && !Array.isArray(data18)){
if(data18.filename === undefined){
const err37 = {instancePath:instancePath+"/packages/" + i0+"/sdist",schemaPath:"#/definitions/lockedWheel/properties/sdist/required",keyword:"required",params:{missingProperty: "filename"},message:"must have required property '"+"filename"+"'",data:data18};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
if(data18.sha256 === undefined){
const err38 = {instancePath:instancePath+"/packages/" + i0+"/sdist",schemaPath:"#/definitions/lockedWheel/properties/sdist/required",keyword:"required",params:{missingProperty: "sha256"},message:"must have required property '"+"sha256"+"'",data:data18};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
for(const key3 in data18){
if(!((((key3 === "filename") || (key3 === "url")) || (key3 === "path")) || (key3 === "sha256"))){
const err39 = {instancePath:instancePath+"/packages/" + i0+"/sdist",schemaPath:"#/definitions/lockedWheel/properties/sdist/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties",data:data18};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
if(data18.filename !== undefined){
let data19 = data18.filename;
if(typeof data19 !== "string"){
const err40 = {instancePath:instancePath+"/packages/" + i0+"/sdist/filename",schemaPath:"#/definitions/lockedWheel/properties/sdist/properties/filename/type",keyword:"type",params:{type: "string"},message:"must be string",data:data19};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
}
if(data18.url !== undefined){
let data20 = data18.url;
if(typeof data20 !== "string"){
const err41 = {instancePath:instancePath+"/packages/" + i0+"/sdist/url",schemaPath:"#/definitions/lockedWheel/properties/sdist/properties/url/type",keyword:"type",params:{type: "string"},message:"must be string",data:data20};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
}
if(data18.path !== undefined){
let data21 = data18.path;
if(typeof data21 !== "string"){
const err42 = {instancePath:instancePath+"/packages/" + i0+"/sdist/path",schemaPath:"#/definitions/lockedWheel/properties/sdist/properties/path/type",keyword:"type",params:{type: "string"},message:"must be string",data:data21};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
}
if(data18.sha256 !== undefined){
let data22 = data18.sha256;
if(typeof data22 !== "string"){
const err43 = {instancePath:instancePath+"/packages/" + i0+"/sdist/sha256",schemaPath:"#/definitions/lockedWheel/properties/sdist/properties/sha256/type",keyword:"type",params:{type: "string"},message:"must be string",data:data22};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
}
}
else {
const err44 = {instancePath:instancePath+"/packages/" + i0+"/sdist",schemaPath:"#/definitions/lockedWheel/properties/sdist/type",keyword:"type",params:{type: "object"},message:"must be object",data:data18};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
}
if(data8.directUrl !== undefined){
let data23 = data8.directUrl;
if(typeof data23 !== "string"){
const err45 = {instancePath:instancePath+"/packages/" + i0+"/directUrl",schemaPath:"#/definitions/lockedWheel/properties/directUrl/type",keyword:"type",params:{type: "string"},message:"must be string",data:data23};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
}
if(data8.requiredBy !== undefined){
let data24 = data8.requiredBy;
if(Array.isArray(data24)){
const len1 = data24.length;
for(let i1=0; i1<len1; i1++){
let data25 = data24[i1];
if(typeof data25 !== "string"){
const err46 = {instancePath:instancePath+"/packages/" + i0+"/requiredBy/" + i1,schemaPath:"#/definitions/lockedWheel/properties/requiredBy/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data25};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
}
}
else {
const err47 = {instancePath:instancePath+"/packages/" + i0+"/requiredBy",schemaPath:"#/definitions/lockedWheel/properties/requiredBy/type",keyword:"type",params:{type: "array"},message:"must be array",data:data24};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
}
if(data8.member !== undefined){
let data26 = data8.member;
if(data26 && typeof data26 == "object" && !Array.isArray(data26)){
if(data26.directory === undefined){
const err48 = {instancePath:instancePath+"/packages/" + i0+"/member",schemaPath:"#/definitions/lockedWheel/properties/member/required",keyword:"required",params:{missingProperty: "directory"},message:"must have required property '"+"directory"+"'",data:data26};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
if(data26.files === undefined){
const err49 = {instancePath:instancePath+"/packages/" + i0+"/member",schemaPath:"#/definitions/lockedWheel/properties/member/required",keyword:"required",params:{missingProperty: "files"},message:"must have required property '"+"files"+"'",data:data26};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
for(const key4 in data26){
if(!((key4 === "directory") || (key4 === "files"))){
const err50 = {instancePath:instancePath+"/packages/" + i0+"/member",schemaPath:"#/definitions/lockedWheel/properties/member/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key4},message:"must NOT have additional properties",data:data26};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
}
if(data26.directory !== undefined){
let data27 = data26.directory;
if(typeof data27 !== "string"){
const err51 = {instancePath:instancePath+"/packages/" + i0+"/member/directory",schemaPath:"#/definitions/lockedWheel/properties/member/properties/directory/type",keyword:"type",params:{type: "string"},message:"must be string",data:data27};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
}
if(data26.files !== undefined){
let data28 = data26.files;
if(Array.isArray(data28)){
const len2 = data28.length;
for(let i2=0; i2<len2; i2++){
let data29 = data28[i2];
if(data29 && typeof data29 == "object" && !Array.isArray(data29)){
if(data29.path === undefined){
const err52 = {instancePath:instancePath+"/packages/" + i0+"/member/files/" + i2,schemaPath:"#/definitions/lockedWheel/properties/member/properties/files/items/required",keyword:"required",params:{missingProperty: "path"},message:"must have required property '"+"path"+"'",data:data29};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
if(data29.sha256 === undefined){
const err53 = {instancePath:instancePath+"/packages/" + i0+"/member/files/" + i2,schemaPath:"#/definitions/lockedWheel/properties/member/properties/files/items/required",keyword:"required",params:{missingProperty: "sha256"},message:"must have required property '"+"sha256"+"'",data:data29};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
if(data29.size === undefined){
const err54 = {instancePath:instancePath+"/packages/" + i0+"/member/files/" + i2,schemaPath:"#/definitions/lockedWheel/properties/member/properties/files/items/required",keyword:"required",params:{missingProperty: "size"},message:"must have required property '"+"size"+"'",data:data29};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
for(const key5 in data29){
if(!(((key5 === "path") || (key5 === "sha256")) || (key5 === "size"))){
const err55 = {instancePath:instancePath+"/packages/" + i0+"/member/files/" + i2,schemaPath:"#/definitions/lockedWheel/properties/member/properties/files/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key5},message:"must NOT have additional properties",data:data29};
if(vErrors === null){
vErrors = [err55];
}
else {
vErrors.push(err55);
}
errors++;
}
}
if(data29.path !== undefined){
let data30 = data29.path;
if(typeof data30 !== "string"){
const err56 = {instancePath:instancePath+"/packages/" + i0+"/member/files/" + i2+"/path",schemaPath:"#/definitions/lockedWheel/properties/member/properties/files/items/properties/path/type",keyword:"type",params:{type: "string"},message:"must be string",data:data30};
if(vErrors === null){
vErrors = [err56];
}
else {
vErrors.push(err56);
}
errors++;
}
}
if(data29.sha256 !== undefined){
let data31 = data29.sha256;
if(typeof data31 === "string"){
if(!pattern16.test(data31)){
const err57 = {instancePath:instancePath+"/packages/" + i0+"/member/files/" + i2+"/sha256",schemaPath:"#/definitions/lockedWheel/properties/member/properties/files/items/properties/sha256/pattern",keyword:"pattern",params:{pattern: "^[a-f0-9]{64}$"},message:"must match pattern \""+"^[a-f0-9]{64}$"+"\"",data:data31};
if(vErrors === null){
vErrors = [err57];
}
else {
vErrors.push(err57);
}
errors++;
}
}
else {
const err58 = {instancePath:instancePath+"/packages/" + i0+"/member/files/" + i2+"/sha256",schemaPath:"#/definitions/lockedWheel/properties/member/properties/files/items/properties/sha256/type",keyword:"type",params:{type: "string"},message:"must be string",data:data31};
if(vErrors === null){
vErrors = [err58];
}
else {
vErrors.push(err58);
}
errors++;
}
}
if(data29.size !== undefined){
let data32 = data29.size;
if(!((typeof data32 == "number") && (!(data32 % 1) && !isNaN(data32)))){
const err59 = {instancePath:instancePath+"/packages/" + i0+"/member/files/" + i2+"/size",schemaPath:"#/definitions/lockedWheel/properties/member/properties/files/items/properties/size/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data32};
if(vErrors === null){
vErrors = [err59];
}
else {
vErrors.push(err59);
}
errors++;
}
if(typeof data32 == "number"){
if(data32 < 0 || isNaN(data32)){
const err60 = {instancePath:instancePath+"/packages/" + i0+"/member/files/" + i2+"/size",schemaPath:"#/definitions/lockedWheel/properties/member/properties/files/items/properties/size/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",data:data32};
if(vErrors === null){
vErrors = [err60];
}
else {
vErrors.push(err60);
}
errors++;
}
}
}
}
else {
const err61 = {instancePath:instancePath+"/packages/" + i0+"/member/files/" + i2,schemaPath:"#/definitions/lockedWheel/properties/member/properties/files/items/type",keyword:"type",params:{type: "object"},message:"must be object",data:data29};
if(vErrors === null){
vErrors = [err61];
}
else {
vErrors.push(err61);
}
errors++;
}
}
}
else {
const err62 = {instancePath:instancePath+"/packages/" + i0+"/member/files",schemaPath:"#/definitions/lockedWheel/properties/member/properties/files/type",keyword:"type",params:{type: "array"},message:"must be array",data:data28};
if(vErrors === null){
vErrors = [err62];
}
else {
vErrors.push(err62);
}
errors++;
}
}
}
else {
const err63 = {instancePath:instancePath+"/packages/" + i0+"/member",schemaPath:"#/definitions/lockedWheel/properties/member/type",keyword:"type",params:{type: "object"},message:"must be object",data:data26};
if(vErrors === null){
vErrors = [err63];
}
else {
vErrors.push(err63);
}
errors++;
}
}
}
else {
const err64 = {instancePath:instancePath+"/packages/" + i0,schemaPath:"#/definitions/lockedWheel/type",keyword:"type",params:{type: "object"},message:"must be object",data:data8};
if(vErrors === null){
vErrors = [err64];
}
else {
vErrors.push(err64);
}
errors++;
}
}
}
else {
const err65 = {instancePath:instancePath+"/packages",schemaPath:"#/properties/packages/type",keyword:"type",params:{type: "array"},message:"must be array",data:data7};
if(vErrors === null){
vErrors = [err65];
}
else {
vErrors.push(err65);
}
errors++;
}
}
if(data.source !== undefined){
let data33 = data.source;
if(!(((data33 === "lock") || (data33 === "resolved")) || (data33 === "venv"))){
const err66 = {instancePath:instancePath+"/source",schemaPath:"#/properties/source/enum",keyword:"enum",params:{allowedValues: schema71.properties.source.enum},message:"must be equal to one of the allowed values",data:data33};
if(vErrors === null){
vErrors = [err66];
}
else {
vErrors.push(err66);
}
errors++;
}
}
if(data.entries !== undefined){
let data34 = data.entries;
if(Array.isArray(data34)){
const len3 = data34.length;
for(let i3=0; i3<len3; i3++){
let data35 = data34[i3];
if(data35 && typeof data35 == "object" && !Array.isArray(data35)){
if(data35.path === undefined){
const err67 = {instancePath:instancePath+"/entries/" + i3,schemaPath:"#/definitions/entry/required",keyword:"required",params:{missingProperty: "path"},message:"must have required property '"+"path"+"'",data:data35};
if(vErrors === null){
vErrors = [err67];
}
else {
vErrors.push(err67);
}
errors++;
}
if(data35.type === undefined){
const err68 = {instancePath:instancePath+"/entries/" + i3,schemaPath:"#/definitions/entry/required",keyword:"required",params:{missingProperty: "type"},message:"must have required property '"+"type"+"'",data:data35};
if(vErrors === null){
vErrors = [err68];
}
else {
vErrors.push(err68);
}
errors++;
}
if(data35.mode === undefined){
const err69 = {instancePath:instancePath+"/entries/" + i3,schemaPath:"#/definitions/entry/required",keyword:"required",params:{missingProperty: "mode"},message:"must have required property '"+"mode"+"'",data:data35};
if(vErrors === null){
vErrors = [err69];
}
else {
vErrors.push(err69);
}
errors++;
}
for(const key6 in data35){
if(!(func2.call(schema64.properties, key6))){
const err70 = {instancePath:instancePath+"/entries/" + i3,schemaPath:"#/definitions/entry/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key6},message:"must NOT have additional properties",data:data35};
if(vErrors === null){
vErrors = [err70];
}
else {
vErrors.push(err70);
}
errors++;
}
}
if(data35.path !== undefined){
let data36 = data35.path;
if(typeof data36 !== "string"){
const err71 = {instancePath:instancePath+"/entries/" + i3+"/path",schemaPath:"#/definitions/entry/properties/path/type",keyword:"type",params:{type: "string"},message:"must be string",data:data36};
if(vErrors === null){
vErrors = [err71];
}
else {
vErrors.push(err71);
}
errors++;
}
}
if(data35.type !== undefined){
let data37 = data35.type;
if(!(((data37 === "dir") || (data37 === "file")) || (data37 === "symlink"))){
const err72 = {instancePath:instancePath+"/entries/" + i3+"/type",schemaPath:"#/definitions/entry/properties/type/enum",keyword:"enum",params:{allowedValues: schema64.properties.type.enum},message:"must be equal to one of the allowed values",data:data37};
if(vErrors === null){
vErrors = [err72];
}
else {
vErrors.push(err72);
}
errors++;
}
}
if(data35.mode !== undefined){
let data38 = data35.mode;
if(typeof data38 === "string"){
if(!pattern22.test(data38)){
const err73 = {instancePath:instancePath+"/entries/" + i3+"/mode",schemaPath:"#/definitions/entry/properties/mode/pattern",keyword:"pattern",params:{pattern: "^0[0-7]{3,4}$"},message:"must match pattern \""+"^0[0-7]{3,4}$"+"\"",data:data38};
if(vErrors === null){
vErrors = [err73];
}
else {
vErrors.push(err73);
}
errors++;
}
}
else {
const err74 = {instancePath:instancePath+"/entries/" + i3+"/mode",schemaPath:"#/definitions/entry/properties/mode/type",keyword:"type",params:{type: "string"},message:"must be string",data:data38};
if(vErrors === null){
vErrors = [err74];
}
else {
vErrors.push(err74);
}
errors++;
}
}
if(data35.uid !== undefined){
let data39 = data35.uid;
if(!((typeof data39 == "number") && (!(data39 % 1) && !isNaN(data39)))){
const err75 = {instancePath:instancePath+"/entries/" + i3+"/uid",schemaPath:"#/definitions/entry/properties/uid/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data39};
if(vErrors === null){
vErrors = [err75];
}
else {
vErrors.push(err75);
}
errors++;
}
if(typeof data39 == "number"){
if(data39 < 0 || isNaN(data39)){
const err76 = {instancePath:instancePath+"/entries/" + i3+"/uid",schemaPath:"#/definitions/entry/properties/uid/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",data:data39};
if(vErrors === null){
vErrors = [err76];
}
else {
vErrors.push(err76);
}
errors++;
}
}
}
if(data35.gid !== undefined){
let data40 = data35.gid;
if(!((typeof data40 == "number") && (!(data40 % 1) && !isNaN(data40)))){
const err77 = {instancePath:instancePath+"/entries/" + i3+"/gid",schemaPath:"#/definitions/entry/properties/gid/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data40};
if(vErrors === null){
vErrors = [err77];
}
else {
vErrors.push(err77);
}
errors++;
}
if(typeof data40 == "number"){
if(data40 < 0 || isNaN(data40)){
const err78 = {instancePath:instancePath+"/entries/" + i3+"/gid",schemaPath:"#/definitions/entry/properties/gid/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",data:data40};
if(vErrors === null){
vErrors = [err78];
}
else {
vErrors.push(err78);
}
errors++;
}
}
}
if(data35.size !== undefined){
let data41 = data35.size;
if(!((typeof data41 == "number") && (!(data41 % 1) && !isNaN(data41)))){
const err79 = {instancePath:instancePath+"/entries/" + i3+"/size",schemaPath:"#/definitions/entry/properties/size/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data41};
if(vErrors === null){
vErrors = [err79];
}
else {
vErrors.push(err79);
}
errors++;
}
if(typeof data41 == "number"){
if(data41 < 0 || isNaN(data41)){
const err80 = {instancePath:instancePath+"/entries/" + i3+"/size",schemaPath:"#/definitions/entry/properties/size/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",data:data41};
if(vErrors === null){
vErrors = [err80];
}
else {
vErrors.push(err80);
}
errors++;
}
}
}
if(data35.sha256 !== undefined){
let data42 = data35.sha256;
if(typeof data42 === "string"){
if(!pattern16.test(data42)){
const err81 = {instancePath:instancePath+"/entries/" + i3+"/sha256",schemaPath:"#/definitions/entry/properties/sha256/pattern",keyword:"pattern",params:{pattern: "^[a-f0-9]{64}$"},message:"must match pattern \""+"^[a-f0-9]{64}$"+"\"",data:data42};
if(vErrors === null){
vErrors = [err81];
}
else {
vErrors.push(err81);
}
errors++;
}
}
else {
const err82 = {instancePath:instancePath+"/entries/" + i3+"/sha256",schemaPath:"#/definitions/entry/properties/sha256/type",keyword:"type",params:{type: "string"},message:"must be string",data:data42};
if(vErrors === null){
vErrors = [err82];
}
else {
vErrors.push(err82);
}
errors++;
}
}
if(data35.source !== undefined){
let data43 = data35.source;
if(typeof data43 !== "string"){
const err83 = {instancePath:instancePath+"/entries/" + i3+"/source",schemaPath:"#/definitions/entry/properties/source/type",keyword:"type",params:{type: "string"},message:"must be string",data:data43};
if(vErrors === null){
vErrors = [err83];
}
else {
vErrors.push(err83);
}
errors++;
}
}
if(data35.content !== undefined){
let data44 = data35.content;
if(typeof data44 !== "string"){
const err84 = {instancePath:instancePath+"/entries/" + i3+"/content",schemaPath:"#/definitions/entry/properties/content/type",keyword:"type",params:{type: "string"},message:"must be string",data:data44};
if(vErrors === null){
vErrors = [err84];
}
else {
vErrors.push(err84);
}
errors++;
}
}
if(data35.target !== undefined){
let data45 = data35.target;
if(typeof data45 !== "string"){
const err85 = {instancePath:instancePath+"/entries/" + i3+"/target",schemaPath:"#/definitions/entry/properties/target/type",keyword:"type",params:{type: "string"},message:"must be string",data:data45};
if(vErrors === null){
vErrors = [err85];
}
else {
vErrors.push(err85);
}
errors++;
}
}
if(data35.bytecodeOf !== undefined){
let data46 = data35.bytecodeOf;
if(typeof data46 !== "string"){
const err86 = {instancePath:instancePath+"/entries/" + i3+"/bytecodeOf",schemaPath:"#/definitions/entry/properties/bytecodeOf/type",keyword:"type",params:{type: "string"},message:"must be string",data:data46};
if(vErrors === null){
vErrors = [err86];
}
else {
vErrors.push(err86);
}
errors++;
}
}
}
else {
const err87 = {instancePath:instancePath+"/entries/" + i3,schemaPath:"#/definitions/entry/type",keyword:"type",params:{type: "object"},message:"must be object",data:data35};
if(vErrors === null){
vErrors = [err87];
}
else {
vErrors.push(err87);
}
errors++;
}
}
}
else {
const err88 = {instancePath:instancePath+"/entries",schemaPath:"#/properties/entries/type",keyword:"type",params:{type: "array"},message:"must be array",data:data34};
if(vErrors === null){
vErrors = [err88];
}
else {
vErrors.push(err88);
}
errors++;
}
}
if(data.layers !== undefined){
let data47 = data.layers;
if(Array.isArray(data47)){
if(data47.length < 1){
const err89 = {instancePath:instancePath+"/layers",schemaPath:"#/properties/layers/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",data:data47};
if(vErrors === null){
vErrors = [err89];
}
else {
vErrors.push(err89);
}
errors++;
}
const len4 = data47.length;
for(let i4=0; i4<len4; i4++){
if(!(validate31(data47[i4], {instancePath:instancePath+"/layers/" + i4,parentData:data47,parentDataProperty:i4,rootData}))){
vErrors = vErrors === null ? validate31.errors : vErrors.concat(validate31.errors);
errors = vErrors.length;
}
}
}
else {
const err90 = {instancePath:instancePath+"/layers",schemaPath:"#/properties/layers/type",keyword:"type",params:{type: "array"},message:"must be array",data:data47};
if(vErrors === null){
vErrors = [err90];
}
else {
vErrors.push(err90);
}
errors++;
}
}
}
else {
const err91 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",data};
if(vErrors === null){
vErrors = [err91];
}
else {
vErrors.push(err91);
}
errors++;
}
validate30.errors = vErrors;
return errors === 0;
}


function validate16(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
/*# sourceURL="https://unpkg.com/pycontainer/schema/plan.schema.json" */;
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.kind === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "kind"},message:"must have required property '"+"kind"+"'",data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.formatVersion === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "formatVersion"},message:"must have required property '"+"formatVersion"+"'",data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(data.pycontainerVersion === undefined){
const err2 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "pycontainerVersion"},message:"must have required property '"+"pycontainerVersion"+"'",data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(data.project === undefined){
const err3 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "project"},message:"must have required property '"+"project"+"'",data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
if(data.inputs === undefined){
const err4 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "inputs"},message:"must have required property '"+"inputs"+"'",data};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
if(data.platforms === undefined){
const err5 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "platforms"},message:"must have required property '"+"platforms"+"'",data};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
if(data.python === undefined){
const err6 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "python"},message:"must have required property '"+"python"+"'",data};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if(data.base === undefined){
const err7 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "base"},message:"must have required property '"+"base"+"'",data};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
if(data.layers === undefined){
const err8 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "layers"},message:"must have required property '"+"layers"+"'",data};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
if(data.images === undefined){
const err9 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "images"},message:"must have required property '"+"images"+"'",data};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
if(data.tags === undefined){
const err10 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "tags"},message:"must have required property '"+"tags"+"'",data};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
if(data.annotations === undefined){
const err11 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "annotations"},message:"must have required property '"+"annotations"+"'",data};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
if(data.output === undefined){
const err12 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "output"},message:"must have required property '"+"output"+"'",data};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
if(data.provenance === undefined){
const err13 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "provenance"},message:"must have required property '"+"provenance"+"'",data};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
for(const key0 in data){
if(!(func2.call(schema53.properties, key0))){
const err14 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",data};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data.$schema !== undefined){
let data0 = data.$schema;
if(typeof data0 !== "string"){
const err15 = {instancePath:instancePath+"/$schema",schemaPath:"#/properties/%24schema/type",keyword:"type",params:{type: "string"},message:"must be string",data:data0};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
if(data.kind !== undefined){
let data1 = data.kind;
if("pycontainer.plan" !== data1){
const err16 = {instancePath:instancePath+"/kind",schemaPath:"#/properties/kind/const",keyword:"const",params:{allowedValue: "pycontainer.plan"},message:"must be equal to constant",data:data1};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data.formatVersion !== undefined){
let data2 = data.formatVersion;
if(!((typeof data2 == "number") && (!(data2 % 1) && !isNaN(data2)))){
const err17 = {instancePath:instancePath+"/formatVersion",schemaPath:"#/properties/formatVersion/type",keyword:"type",params:{type: "integer"},message:"must be integer",data:data2};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
if(typeof data2 == "number"){
if(data2 < 1 || isNaN(data2)){
const err18 = {instancePath:instancePath+"/formatVersion",schemaPath:"#/properties/formatVersion/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",data:data2};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
}
if(data.pycontainerVersion !== undefined){
let data3 = data.pycontainerVersion;
if(typeof data3 !== "string"){
const err19 = {instancePath:instancePath+"/pycontainerVersion",schemaPath:"#/properties/pycontainerVersion/type",keyword:"type",params:{type: "string"},message:"must be string",data:data3};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
if(data.project !== undefined){
let data4 = data.project;
if(data4 && typeof data4 == "object" && !Array.isArray(data4)){
if(data4.name === undefined){
const err20 = {instancePath:instancePath+"/project",schemaPath:"#/properties/project/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'",data:data4};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
if(data4.version === undefined){
const err21 = {instancePath:instancePath+"/project",schemaPath:"#/properties/project/required",keyword:"required",params:{missingProperty: "version"},message:"must have required property '"+"version"+"'",data:data4};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
for(const key1 in data4){
if(!((key1 === "name") || (key1 === "version"))){
const err22 = {instancePath:instancePath+"/project",schemaPath:"#/properties/project/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",data:data4};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
if(data4.name !== undefined){
let data5 = data4.name;
if(typeof data5 !== "string"){
const err23 = {instancePath:instancePath+"/project/name",schemaPath:"#/properties/project/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",data:data5};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
if(data4.version !== undefined){
let data6 = data4.version;
if(typeof data6 !== "string"){
const err24 = {instancePath:instancePath+"/project/version",schemaPath:"#/properties/project/properties/version/type",keyword:"type",params:{type: "string"},message:"must be string",data:data6};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
}
else {
const err25 = {instancePath:instancePath+"/project",schemaPath:"#/properties/project/type",keyword:"type",params:{type: "object"},message:"must be object",data:data4};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
if(data.inputs !== undefined){
let data7 = data.inputs;
if(Array.isArray(data7)){
const len0 = data7.length;
for(let i0=0; i0<len0; i0++){
let data8 = data7[i0];
if(data8 && typeof data8 == "object" && !Array.isArray(data8)){
if(data8.path === undefined){
const err26 = {instancePath:instancePath+"/inputs/" + i0,schemaPath:"#/definitions/inputFile/required",keyword:"required",params:{missingProperty: "path"},message:"must have required property '"+"path"+"'",data:data8};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
if(data8.sha256 === undefined){
const err27 = {instancePath:instancePath+"/inputs/" + i0,schemaPath:"#/definitions/inputFile/required",keyword:"required",params:{missingProperty: "sha256"},message:"must have required property '"+"sha256"+"'",data:data8};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
for(const key2 in data8){
if(!((key2 === "path") || (key2 === "sha256"))){
const err28 = {instancePath:instancePath+"/inputs/" + i0,schemaPath:"#/definitions/inputFile/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties",data:data8};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
if(data8.path !== undefined){
let data9 = data8.path;
if(typeof data9 !== "string"){
const err29 = {instancePath:instancePath+"/inputs/" + i0+"/path",schemaPath:"#/definitions/inputFile/properties/path/type",keyword:"type",params:{type: "string"},message:"must be string",data:data9};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
if(data8.sha256 !== undefined){
let data10 = data8.sha256;
if(typeof data10 === "string"){
if(!pattern16.test(data10)){
const err30 = {instancePath:instancePath+"/inputs/" + i0+"/sha256",schemaPath:"#/definitions/inputFile/properties/sha256/pattern",keyword:"pattern",params:{pattern: "^[a-f0-9]{64}$"},message:"must match pattern \""+"^[a-f0-9]{64}$"+"\"",data:data10};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
else {
const err31 = {instancePath:instancePath+"/inputs/" + i0+"/sha256",schemaPath:"#/definitions/inputFile/properties/sha256/type",keyword:"type",params:{type: "string"},message:"must be string",data:data10};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
}
else {
const err32 = {instancePath:instancePath+"/inputs/" + i0,schemaPath:"#/definitions/inputFile/type",keyword:"type",params:{type: "object"},message:"must be object",data:data8};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
}
else {
const err33 = {instancePath:instancePath+"/inputs",schemaPath:"#/properties/inputs/type",keyword:"type",params:{type: "array"},message:"must be array",data:data7};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
if(data.platforms !== undefined){
let data11 = data.platforms;
if(Array.isArray(data11)){
if(data11.length < 1){
const err34 = {instancePath:instancePath+"/platforms",schemaPath:"#/properties/platforms/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",data:data11};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
const len1 = data11.length;
for(let i1=0; i1<len1; i1++){
let data12 = data11[i1];
if(typeof data12 !== "string"){
const err35 = {instancePath:instancePath+"/platforms/" + i1,schemaPath:"#/properties/platforms/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data12};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
}
else {
const err36 = {instancePath:instancePath+"/platforms",schemaPath:"#/properties/platforms/type",keyword:"type",params:{type: "array"},message:"must be array",data:data11};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
}
if(data.python !== undefined){
let data13 = data.python;
if(data13 && typeof data13 == "object" && !Array.isArray(data13)){
if(data13.version === undefined){
const err37 = {instancePath:instancePath+"/python",schemaPath:"#/properties/python/required",keyword:"required",params:{missingProperty: "version"},message:"must have required property '"+"version"+"'",data:data13};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
if(data13.interpreter === undefined){
const err38 = {instancePath:instancePath+"/python",schemaPath:"#/properties/python/required",keyword:"required",params:{missingProperty: "interpreter"},message:"must have required property '"+"interpreter"+"'",data:data13};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
if(data13.venv === undefined){
const err39 = {instancePath:instancePath+"/python",schemaPath:"#/properties/python/required",keyword:"required",params:{missingProperty: "venv"},message:"must have required property '"+"venv"+"'",data:data13};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
for(const key3 in data13){
if(!((((key3 === "version") || (key3 === "interpreter")) || (key3 === "venv")) || (key3 === "bytecode"))){
const err40 = {instancePath:instancePath+"/python",schemaPath:"#/properties/python/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties",data:data13};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
}
if(data13.version !== undefined){
let data14 = data13.version;
if(typeof data14 !== "string"){
const err41 = {instancePath:instancePath+"/python/version",schemaPath:"#/properties/python/properties/version/type",keyword:"type",params:{type: "string"},message:"must be string",data:data14};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
}
if(data13.interpreter !== undefined){
let data15 = data13.interpreter;
if(typeof data15 !== "string"){
const err42 = {instancePath:instancePath+"/python/interpreter",schemaPath:"#/properties/python/properties/interpreter/type",keyword:"type",params:{type: "string"},message:"must be string",data:data15};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
}
if(data13.venv !== undefined){
let data16 = data13.venv;
if(typeof data16 !== "string"){
const err43 = {instancePath:instancePath+"/python/venv",schemaPath:"#/properties/python/properties/venv/type",keyword:"type",params:{type: "string"},message:"must be string",data:data16};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
}
if(data13.bytecode !== undefined){
let data17 = data13.bytecode;
if(data17 && typeof data17 == "object" && !Array.isArray(data17)){
if(data17.compiler === undefined){
const err44 = {instancePath:instancePath+"/python/bytecode",schemaPath:"#/properties/python/properties/bytecode/required",keyword:"required",params:{missingProperty: "compiler"},message:"must have required property '"+"compiler"+"'",data:data17};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
if(data17.cacheTag === undefined){
const err45 = {instancePath:instancePath+"/python/bytecode",schemaPath:"#/properties/python/properties/bytecode/required",keyword:"required",params:{missingProperty: "cacheTag"},message:"must have required property '"+"cacheTag"+"'",data:data17};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
for(const key4 in data17){
if(!((key4 === "compiler") || (key4 === "cacheTag"))){
const err46 = {instancePath:instancePath+"/python/bytecode",schemaPath:"#/properties/python/properties/bytecode/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key4},message:"must NOT have additional properties",data:data17};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
}
if(data17.compiler !== undefined){
let data18 = data17.compiler;
if(typeof data18 !== "string"){
const err47 = {instancePath:instancePath+"/python/bytecode/compiler",schemaPath:"#/properties/python/properties/bytecode/properties/compiler/type",keyword:"type",params:{type: "string"},message:"must be string",data:data18};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
}
if(data17.cacheTag !== undefined){
let data19 = data17.cacheTag;
if(typeof data19 !== "string"){
const err48 = {instancePath:instancePath+"/python/bytecode/cacheTag",schemaPath:"#/properties/python/properties/bytecode/properties/cacheTag/type",keyword:"type",params:{type: "string"},message:"must be string",data:data19};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
}
}
else {
const err49 = {instancePath:instancePath+"/python/bytecode",schemaPath:"#/properties/python/properties/bytecode/type",keyword:"type",params:{type: "object"},message:"must be object",data:data17};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
}
}
else {
const err50 = {instancePath:instancePath+"/python",schemaPath:"#/properties/python/type",keyword:"type",params:{type: "object"},message:"must be object",data:data13};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
}
if(data.base !== undefined){
if(!(validate17(data.base, {instancePath:instancePath+"/base",parentData:data,parentDataProperty:"base",rootData}))){
vErrors = vErrors === null ? validate17.errors : vErrors.concat(validate17.errors);
errors = vErrors.length;
}
}
if(data.layers !== undefined){
let data21 = data.layers;
if(Array.isArray(data21)){
const len2 = data21.length;
for(let i2=0; i2<len2; i2++){
if(!(validate24(data21[i2], {instancePath:instancePath+"/layers/" + i2,parentData:data21,parentDataProperty:i2,rootData}))){
vErrors = vErrors === null ? validate24.errors : vErrors.concat(validate24.errors);
errors = vErrors.length;
}
}
}
else {
const err51 = {instancePath:instancePath+"/layers",schemaPath:"#/properties/layers/type",keyword:"type",params:{type: "array"},message:"must be array",data:data21};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
}
if(data.images !== undefined){
let data23 = data.images;
if(Array.isArray(data23)){
if(data23.length < 1){
const err52 = {instancePath:instancePath+"/images",schemaPath:"#/properties/images/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",data:data23};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
const len3 = data23.length;
for(let i3=0; i3<len3; i3++){
if(!(validate26(data23[i3], {instancePath:instancePath+"/images/" + i3,parentData:data23,parentDataProperty:i3,rootData}))){
vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
errors = vErrors.length;
}
}
}
else {
const err53 = {instancePath:instancePath+"/images",schemaPath:"#/properties/images/type",keyword:"type",params:{type: "array"},message:"must be array",data:data23};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
}
if(data.tags !== undefined){
let data25 = data.tags;
if(Array.isArray(data25)){
const len4 = data25.length;
for(let i4=0; i4<len4; i4++){
let data26 = data25[i4];
if(typeof data26 !== "string"){
const err54 = {instancePath:instancePath+"/tags/" + i4,schemaPath:"#/properties/tags/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data26};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
}
}
else {
const err55 = {instancePath:instancePath+"/tags",schemaPath:"#/properties/tags/type",keyword:"type",params:{type: "array"},message:"must be array",data:data25};
if(vErrors === null){
vErrors = [err55];
}
else {
vErrors.push(err55);
}
errors++;
}
}
if(data.annotations !== undefined){
let data27 = data.annotations;
if(data27 && typeof data27 == "object" && !Array.isArray(data27)){
for(const key5 in data27){
let data28 = data27[key5];
if(typeof data28 !== "string"){
const err56 = {instancePath:instancePath+"/annotations/" + key5.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/stringMap/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",data:data28};
if(vErrors === null){
vErrors = [err56];
}
else {
vErrors.push(err56);
}
errors++;
}
}
}
else {
const err57 = {instancePath:instancePath+"/annotations",schemaPath:"#/definitions/stringMap/type",keyword:"type",params:{type: "object"},message:"must be object",data:data27};
if(vErrors === null){
vErrors = [err57];
}
else {
vErrors.push(err57);
}
errors++;
}
}
if(data.output !== undefined){
let data29 = data.output;
if(typeof data29 !== "string"){
const err58 = {instancePath:instancePath+"/output",schemaPath:"#/properties/output/type",keyword:"type",params:{type: "string"},message:"must be string",data:data29};
if(vErrors === null){
vErrors = [err58];
}
else {
vErrors.push(err58);
}
errors++;
}
}
if(data.provenance !== undefined){
let data30 = data.provenance;
if(data30 && typeof data30 == "object" && !Array.isArray(data30)){
for(const key6 in data30){
let data31 = data30[key6];
if(typeof data31 !== "string"){
const err59 = {instancePath:instancePath+"/provenance/" + key6.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/provenance/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",data:data31};
if(vErrors === null){
vErrors = [err59];
}
else {
vErrors.push(err59);
}
errors++;
}
}
}
else {
const err60 = {instancePath:instancePath+"/provenance",schemaPath:"#/properties/provenance/type",keyword:"type",params:{type: "object"},message:"must be object",data:data30};
if(vErrors === null){
vErrors = [err60];
}
else {
vErrors.push(err60);
}
errors++;
}
}
if(data.dependencies !== undefined){
let data32 = data.dependencies;
if(Array.isArray(data32)){
const len5 = data32.length;
for(let i5=0; i5<len5; i5++){
if(!(validate30(data32[i5], {instancePath:instancePath+"/dependencies/" + i5,parentData:data32,parentDataProperty:i5,rootData}))){
vErrors = vErrors === null ? validate30.errors : vErrors.concat(validate30.errors);
errors = vErrors.length;
}
}
}
else {
const err61 = {instancePath:instancePath+"/dependencies",schemaPath:"#/properties/dependencies/type",keyword:"type",params:{type: "array"},message:"must be array",data:data32};
if(vErrors === null){
vErrors = [err61];
}
else {
vErrors.push(err61);
}
errors++;
}
}
}
else {
const err62 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",data};
if(vErrors === null){
vErrors = [err62];
}
else {
vErrors.push(err62);
}
errors++;
}
validate16.errors = vErrors;
return errors === 0;
}

export const pyprojectProject = validate34;
const schema77 = {"type":"object","additionalProperties":false,"properties":{"name":{"type":"string","format":"pep508-name"},"version":{"type":"string","format":"pep440-version"},"description":{"type":"string"},"readme":{"anyOf":[{"type":"string"},{"type":"object","properties":{"file":{"type":"string"},"text":{"type":"string"},"content-type":{"type":"string"},"charset":{"type":"string"}}}]},"requires-python":{"type":"string","format":"pep440-specifier"},"license":{"anyOf":[{"type":"string"},{"type":"object","properties":{"file":{"type":"string"},"text":{"type":"string"}}}]},"license-files":{"$ref":"#/definitions/strings"},"authors":{"$ref":"#/definitions/people"},"maintainers":{"$ref":"#/definitions/people"},"keywords":{"$ref":"#/definitions/strings"},"classifiers":{"$ref":"#/definitions/strings"},"urls":{"$ref":"#/definitions/stringTable"},"scripts":{"$ref":"#/definitions/stringTable"},"gui-scripts":{"$ref":"#/definitions/stringTable"},"entry-points":{"type":"object","additionalProperties":{"$ref":"#/definitions/stringTable"}},"dependencies":{"$ref":"#/definitions/requirements"},"optional-dependencies":{"type":"object","additionalProperties":{"$ref":"#/definitions/requirements"}},"import-names":{"$ref":"#/definitions/strings"},"import-namespaces":{"$ref":"#/definitions/strings"},"dynamic":{"type":"array","items":{"enum":["authors","classifiers","dependencies","description","entry-points","gui-scripts","import-names","import-namespaces","keywords","license","license-files","maintainers","optional-dependencies","readme","requires-python","scripts","urls","version"]}}}};
const formats0 = formats["pep508-name"];
const formats2 = formats["pep440-version"];
const formats4 = formats["pep440-specifier"];
const formats6 = formats["pep508-requirement"];

function validate35(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
for(const key0 in data){
if(!(func2.call(schema77.properties, key0))){
const err0 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
if(data.name !== undefined){
let data0 = data.name;
if(typeof data0 === "string"){
if(!(formats0(data0))){
const err1 = {instancePath:instancePath+"/name",schemaPath:"#/properties/name/format",keyword:"format",params:{format: "pep508-name"},message:"must match format \""+"pep508-name"+"\"",data:data0};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
else {
const err2 = {instancePath:instancePath+"/name",schemaPath:"#/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.version !== undefined){
let data1 = data.version;
if(typeof data1 === "string"){
if(!(formats2(data1))){
const err3 = {instancePath:instancePath+"/version",schemaPath:"#/properties/version/format",keyword:"format",params:{format: "pep440-version"},message:"must match format \""+"pep440-version"+"\"",data:data1};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
else {
const err4 = {instancePath:instancePath+"/version",schemaPath:"#/properties/version/type",keyword:"type",params:{type: "string"},message:"must be string",data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.description !== undefined){
let data2 = data.description;
if(typeof data2 !== "string"){
const err5 = {instancePath:instancePath+"/description",schemaPath:"#/properties/description/type",keyword:"type",params:{type: "string"},message:"must be string",data:data2};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.readme !== undefined){
let data3 = data.readme;
const _errs9 = errors;
let valid1 = false;
const _errs10 = errors;
if(typeof data3 !== "string"){
const err6 = {instancePath:instancePath+"/readme",schemaPath:"#/properties/readme/anyOf/0/type",keyword:"type",params:{type: "string"},message:"must be string",data:data3};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
var _valid0 = _errs10 === errors;
valid1 = valid1 || _valid0;
if(!valid1){
const _errs12 = errors;
if(data3 && typeof data3 == "object" && !Array.isArray(data3)){
if(data3.file !== undefined){
let data4 = data3.file;
if(typeof data4 !== "string"){
const err7 = {instancePath:instancePath+"/readme/file",schemaPath:"#/properties/readme/anyOf/1/properties/file/type",keyword:"type",params:{type: "string"},message:"must be string",data:data4};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
if(data3.text !== undefined){
let data5 = data3.text;
if(typeof data5 !== "string"){
const err8 = {instancePath:instancePath+"/readme/text",schemaPath:"#/properties/readme/anyOf/1/properties/text/type",keyword:"type",params:{type: "string"},message:"must be string",data:data5};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data3["content-type"] !== undefined){
let data6 = data3["content-type"];
if(typeof data6 !== "string"){
const err9 = {instancePath:instancePath+"/readme/content-type",schemaPath:"#/properties/readme/anyOf/1/properties/content-type/type",keyword:"type",params:{type: "string"},message:"must be string",data:data6};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data3.charset !== undefined){
let data7 = data3.charset;
if(typeof data7 !== "string"){
const err10 = {instancePath:instancePath+"/readme/charset",schemaPath:"#/properties/readme/anyOf/1/properties/charset/type",keyword:"type",params:{type: "string"},message:"must be string",data:data7};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
}
else {
const err11 = {instancePath:instancePath+"/readme",schemaPath:"#/properties/readme/anyOf/1/type",keyword:"type",params:{type: "object"},message:"must be object",data:data3};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
var _valid0 = _errs12 === errors;
valid1 = valid1 || _valid0;
}
if(!valid1){
const err12 = {instancePath:instancePath+"/readme",schemaPath:"#/properties/readme/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",data:data3};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
else {
errors = _errs9;
if(vErrors !== null){
if(_errs9){
vErrors.length = _errs9;
}
else {
vErrors = null;
}
}
}
}
if(data["requires-python"] !== undefined){
let data8 = data["requires-python"];
if(typeof data8 === "string"){
if(!(formats4(data8))){
const err13 = {instancePath:instancePath+"/requires-python",schemaPath:"#/properties/requires-python/format",keyword:"format",params:{format: "pep440-specifier"},message:"must match format \""+"pep440-specifier"+"\"",data:data8};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
else {
const err14 = {instancePath:instancePath+"/requires-python",schemaPath:"#/properties/requires-python/type",keyword:"type",params:{type: "string"},message:"must be string",data:data8};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data.license !== undefined){
let data9 = data.license;
const _errs25 = errors;
let valid3 = false;
const _errs26 = errors;
if(typeof data9 !== "string"){
const err15 = {instancePath:instancePath+"/license",schemaPath:"#/properties/license/anyOf/0/type",keyword:"type",params:{type: "string"},message:"must be string",data:data9};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
var _valid1 = _errs26 === errors;
valid3 = valid3 || _valid1;
if(!valid3){
const _errs28 = errors;
if(data9 && typeof data9 == "object" && !Array.isArray(data9)){
if(data9.file !== undefined){
let data10 = data9.file;
if(typeof data10 !== "string"){
const err16 = {instancePath:instancePath+"/license/file",schemaPath:"#/properties/license/anyOf/1/properties/file/type",keyword:"type",params:{type: "string"},message:"must be string",data:data10};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data9.text !== undefined){
let data11 = data9.text;
if(typeof data11 !== "string"){
const err17 = {instancePath:instancePath+"/license/text",schemaPath:"#/properties/license/anyOf/1/properties/text/type",keyword:"type",params:{type: "string"},message:"must be string",data:data11};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
}
else {
const err18 = {instancePath:instancePath+"/license",schemaPath:"#/properties/license/anyOf/1/type",keyword:"type",params:{type: "object"},message:"must be object",data:data9};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
var _valid1 = _errs28 === errors;
valid3 = valid3 || _valid1;
}
if(!valid3){
const err19 = {instancePath:instancePath+"/license",schemaPath:"#/properties/license/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",data:data9};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
else {
errors = _errs25;
if(vErrors !== null){
if(_errs25){
vErrors.length = _errs25;
}
else {
vErrors = null;
}
}
}
}
if(data["license-files"] !== undefined){
let data12 = data["license-files"];
if(Array.isArray(data12)){
const len0 = data12.length;
for(let i0=0; i0<len0; i0++){
let data13 = data12[i0];
if(typeof data13 !== "string"){
const err20 = {instancePath:instancePath+"/license-files/" + i0,schemaPath:"#/definitions/strings/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data13};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
}
else {
const err21 = {instancePath:instancePath+"/license-files",schemaPath:"#/definitions/strings/type",keyword:"type",params:{type: "array"},message:"must be array",data:data12};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
if(data.authors !== undefined){
let data14 = data.authors;
if(Array.isArray(data14)){
const len1 = data14.length;
for(let i1=0; i1<len1; i1++){
let data15 = data14[i1];
if(data15 && typeof data15 == "object" && !Array.isArray(data15)){
for(const key1 in data15){
if(!((key1 === "name") || (key1 === "email"))){
const err22 = {instancePath:instancePath+"/authors/" + i1,schemaPath:"#/definitions/people/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",data:data15};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
if(data15.name !== undefined){
let data16 = data15.name;
if(typeof data16 !== "string"){
const err23 = {instancePath:instancePath+"/authors/" + i1+"/name",schemaPath:"#/definitions/people/items/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",data:data16};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
if(data15.email !== undefined){
let data17 = data15.email;
if(typeof data17 !== "string"){
const err24 = {instancePath:instancePath+"/authors/" + i1+"/email",schemaPath:"#/definitions/people/items/properties/email/type",keyword:"type",params:{type: "string"},message:"must be string",data:data17};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
}
else {
const err25 = {instancePath:instancePath+"/authors/" + i1,schemaPath:"#/definitions/people/items/type",keyword:"type",params:{type: "object"},message:"must be object",data:data15};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
}
else {
const err26 = {instancePath:instancePath+"/authors",schemaPath:"#/definitions/people/type",keyword:"type",params:{type: "array"},message:"must be array",data:data14};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
if(data.maintainers !== undefined){
let data18 = data.maintainers;
if(Array.isArray(data18)){
const len2 = data18.length;
for(let i2=0; i2<len2; i2++){
let data19 = data18[i2];
if(data19 && typeof data19 == "object" && !Array.isArray(data19)){
for(const key2 in data19){
if(!((key2 === "name") || (key2 === "email"))){
const err27 = {instancePath:instancePath+"/maintainers/" + i2,schemaPath:"#/definitions/people/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties",data:data19};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
if(data19.name !== undefined){
let data20 = data19.name;
if(typeof data20 !== "string"){
const err28 = {instancePath:instancePath+"/maintainers/" + i2+"/name",schemaPath:"#/definitions/people/items/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",data:data20};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
if(data19.email !== undefined){
let data21 = data19.email;
if(typeof data21 !== "string"){
const err29 = {instancePath:instancePath+"/maintainers/" + i2+"/email",schemaPath:"#/definitions/people/items/properties/email/type",keyword:"type",params:{type: "string"},message:"must be string",data:data21};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
}
else {
const err30 = {instancePath:instancePath+"/maintainers/" + i2,schemaPath:"#/definitions/people/items/type",keyword:"type",params:{type: "object"},message:"must be object",data:data19};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
}
else {
const err31 = {instancePath:instancePath+"/maintainers",schemaPath:"#/definitions/people/type",keyword:"type",params:{type: "array"},message:"must be array",data:data18};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
if(data.keywords !== undefined){
let data22 = data.keywords;
if(Array.isArray(data22)){
const len3 = data22.length;
for(let i3=0; i3<len3; i3++){
let data23 = data22[i3];
if(typeof data23 !== "string"){
const err32 = {instancePath:instancePath+"/keywords/" + i3,schemaPath:"#/definitions/strings/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data23};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
}
else {
const err33 = {instancePath:instancePath+"/keywords",schemaPath:"#/definitions/strings/type",keyword:"type",params:{type: "array"},message:"must be array",data:data22};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
if(data.classifiers !== undefined){
let data24 = data.classifiers;
if(Array.isArray(data24)){
const len4 = data24.length;
for(let i4=0; i4<len4; i4++){
let data25 = data24[i4];
if(typeof data25 !== "string"){
const err34 = {instancePath:instancePath+"/classifiers/" + i4,schemaPath:"#/definitions/strings/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data25};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
}
else {
const err35 = {instancePath:instancePath+"/classifiers",schemaPath:"#/definitions/strings/type",keyword:"type",params:{type: "array"},message:"must be array",data:data24};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
if(data.urls !== undefined){
let data26 = data.urls;
if(data26 && typeof data26 == "object" && !Array.isArray(data26)){
for(const key3 in data26){
let data27 = data26[key3];
if(typeof data27 !== "string"){
const err36 = {instancePath:instancePath+"/urls/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/stringTable/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",data:data27};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
}
}
else {
const err37 = {instancePath:instancePath+"/urls",schemaPath:"#/definitions/stringTable/type",keyword:"type",params:{type: "object"},message:"must be object",data:data26};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
}
if(data.scripts !== undefined){
let data28 = data.scripts;
if(data28 && typeof data28 == "object" && !Array.isArray(data28)){
for(const key4 in data28){
let data29 = data28[key4];
if(typeof data29 !== "string"){
const err38 = {instancePath:instancePath+"/scripts/" + key4.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/stringTable/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",data:data29};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
}
}
else {
const err39 = {instancePath:instancePath+"/scripts",schemaPath:"#/definitions/stringTable/type",keyword:"type",params:{type: "object"},message:"must be object",data:data28};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
if(data["gui-scripts"] !== undefined){
let data30 = data["gui-scripts"];
if(data30 && typeof data30 == "object" && !Array.isArray(data30)){
for(const key5 in data30){
let data31 = data30[key5];
if(typeof data31 !== "string"){
const err40 = {instancePath:instancePath+"/gui-scripts/" + key5.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/stringTable/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",data:data31};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
}
}
else {
const err41 = {instancePath:instancePath+"/gui-scripts",schemaPath:"#/definitions/stringTable/type",keyword:"type",params:{type: "object"},message:"must be object",data:data30};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
}
if(data["entry-points"] !== undefined){
let data32 = data["entry-points"];
if(data32 && typeof data32 == "object" && !Array.isArray(data32)){
for(const key6 in data32){
let data33 = data32[key6];
if(data33 && typeof data33 == "object" && !Array.isArray(data33)){
for(const key7 in data33){
let data34 = data33[key7];
if(typeof data34 !== "string"){
const err42 = {instancePath:instancePath+"/entry-points/" + key6.replace(/~/g, "~0").replace(/\//g, "~1")+"/" + key7.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/stringTable/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",data:data34};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
}
}
else {
const err43 = {instancePath:instancePath+"/entry-points/" + key6.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/stringTable/type",keyword:"type",params:{type: "object"},message:"must be object",data:data33};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
}
}
else {
const err44 = {instancePath:instancePath+"/entry-points",schemaPath:"#/properties/entry-points/type",keyword:"type",params:{type: "object"},message:"must be object",data:data32};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
}
if(data.dependencies !== undefined){
let data35 = data.dependencies;
if(Array.isArray(data35)){
const len5 = data35.length;
for(let i5=0; i5<len5; i5++){
let data36 = data35[i5];
if(typeof data36 === "string"){
if(!(formats6(data36))){
const err45 = {instancePath:instancePath+"/dependencies/" + i5,schemaPath:"#/definitions/requirements/items/format",keyword:"format",params:{format: "pep508-requirement"},message:"must match format \""+"pep508-requirement"+"\"",data:data36};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
}
else {
const err46 = {instancePath:instancePath+"/dependencies/" + i5,schemaPath:"#/definitions/requirements/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data36};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
}
}
else {
const err47 = {instancePath:instancePath+"/dependencies",schemaPath:"#/definitions/requirements/type",keyword:"type",params:{type: "array"},message:"must be array",data:data35};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
}
if(data["optional-dependencies"] !== undefined){
let data37 = data["optional-dependencies"];
if(data37 && typeof data37 == "object" && !Array.isArray(data37)){
for(const key8 in data37){
let data38 = data37[key8];
if(Array.isArray(data38)){
const len6 = data38.length;
for(let i6=0; i6<len6; i6++){
let data39 = data38[i6];
if(typeof data39 === "string"){
if(!(formats6(data39))){
const err48 = {instancePath:instancePath+"/optional-dependencies/" + key8.replace(/~/g, "~0").replace(/\//g, "~1")+"/" + i6,schemaPath:"#/definitions/requirements/items/format",keyword:"format",params:{format: "pep508-requirement"},message:"must match format \""+"pep508-requirement"+"\"",data:data39};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
}
else {
const err49 = {instancePath:instancePath+"/optional-dependencies/" + key8.replace(/~/g, "~0").replace(/\//g, "~1")+"/" + i6,schemaPath:"#/definitions/requirements/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data39};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
}
}
else {
const err50 = {instancePath:instancePath+"/optional-dependencies/" + key8.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/requirements/type",keyword:"type",params:{type: "array"},message:"must be array",data:data38};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
}
}
else {
const err51 = {instancePath:instancePath+"/optional-dependencies",schemaPath:"#/properties/optional-dependencies/type",keyword:"type",params:{type: "object"},message:"must be object",data:data37};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
}
if(data["import-names"] !== undefined){
let data40 = data["import-names"];
if(Array.isArray(data40)){
const len7 = data40.length;
for(let i7=0; i7<len7; i7++){
let data41 = data40[i7];
if(typeof data41 !== "string"){
const err52 = {instancePath:instancePath+"/import-names/" + i7,schemaPath:"#/definitions/strings/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data41};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
}
}
else {
const err53 = {instancePath:instancePath+"/import-names",schemaPath:"#/definitions/strings/type",keyword:"type",params:{type: "array"},message:"must be array",data:data40};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
}
if(data["import-namespaces"] !== undefined){
let data42 = data["import-namespaces"];
if(Array.isArray(data42)){
const len8 = data42.length;
for(let i8=0; i8<len8; i8++){
let data43 = data42[i8];
if(typeof data43 !== "string"){
const err54 = {instancePath:instancePath+"/import-namespaces/" + i8,schemaPath:"#/definitions/strings/items/type",keyword:"type",params:{type: "string"},message:"must be string",data:data43};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
}
}
else {
const err55 = {instancePath:instancePath+"/import-namespaces",schemaPath:"#/definitions/strings/type",keyword:"type",params:{type: "array"},message:"must be array",data:data42};
if(vErrors === null){
vErrors = [err55];
}
else {
vErrors.push(err55);
}
errors++;
}
}
if(data.dynamic !== undefined){
let data44 = data.dynamic;
if(Array.isArray(data44)){
const len9 = data44.length;
for(let i9=0; i9<len9; i9++){
let data45 = data44[i9];
if(!((((((((((((((((((data45 === "authors") || (data45 === "classifiers")) || (data45 === "dependencies")) || (data45 === "description")) || (data45 === "entry-points")) || (data45 === "gui-scripts")) || (data45 === "import-names")) || (data45 === "import-namespaces")) || (data45 === "keywords")) || (data45 === "license")) || (data45 === "license-files")) || (data45 === "maintainers")) || (data45 === "optional-dependencies")) || (data45 === "readme")) || (data45 === "requires-python")) || (data45 === "scripts")) || (data45 === "urls")) || (data45 === "version"))){
const err56 = {instancePath:instancePath+"/dynamic/" + i9,schemaPath:"#/properties/dynamic/items/enum",keyword:"enum",params:{allowedValues: schema77.properties.dynamic.items.enum},message:"must be equal to one of the allowed values",data:data45};
if(vErrors === null){
vErrors = [err56];
}
else {
vErrors.push(err56);
}
errors++;
}
}
}
else {
const err57 = {instancePath:instancePath+"/dynamic",schemaPath:"#/properties/dynamic/type",keyword:"type",params:{type: "array"},message:"must be array",data:data44};
if(vErrors === null){
vErrors = [err57];
}
else {
vErrors.push(err57);
}
errors++;
}
}
}
else {
const err58 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",data};
if(vErrors === null){
vErrors = [err58];
}
else {
vErrors.push(err58);
}
errors++;
}
validate35.errors = vErrors;
return errors === 0;
}


function validate34(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
/*# sourceURL="https://unpkg.com/pycontainer/schema/pyproject-project.schema.json" */;
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.project !== undefined){
if(!(validate35(data.project, {instancePath:instancePath+"/project",parentData:data,parentDataProperty:"project",rootData}))){
vErrors = vErrors === null ? validate35.errors : vErrors.concat(validate35.errors);
errors = vErrors.length;
}
}
if(data.tool !== undefined){
let data1 = data.tool;
if(data1 && typeof data1 == "object" && !Array.isArray(data1)){
if(data1.poetry !== undefined){
let data2 = data1.poetry;
if(data2 && typeof data2 == "object" && !Array.isArray(data2)){
if(data2.name !== undefined){
let data3 = data2.name;
if(typeof data3 === "string"){
if(!(formats0(data3))){
const err0 = {instancePath:instancePath+"/tool/poetry/name",schemaPath:"#/definitions/poetry/properties/name/format",keyword:"format",params:{format: "pep508-name"},message:"must match format \""+"pep508-name"+"\"",data:data3};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
else {
const err1 = {instancePath:instancePath+"/tool/poetry/name",schemaPath:"#/definitions/poetry/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",data:data3};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data2.version !== undefined){
let data4 = data2.version;
if(typeof data4 === "string"){
if(!(formats2(data4))){
const err2 = {instancePath:instancePath+"/tool/poetry/version",schemaPath:"#/definitions/poetry/properties/version/format",keyword:"format",params:{format: "pep440-version"},message:"must match format \""+"pep440-version"+"\"",data:data4};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
else {
const err3 = {instancePath:instancePath+"/tool/poetry/version",schemaPath:"#/definitions/poetry/properties/version/type",keyword:"type",params:{type: "string"},message:"must be string",data:data4};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data2.scripts !== undefined){
let data5 = data2.scripts;
if(!(data5 && typeof data5 == "object" && !Array.isArray(data5))){
const err4 = {instancePath:instancePath+"/tool/poetry/scripts",schemaPath:"#/definitions/poetry/properties/scripts/type",keyword:"type",params:{type: "object"},message:"must be object",data:data5};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data2.dependencies !== undefined){
let data6 = data2.dependencies;
if(!(data6 && typeof data6 == "object" && !Array.isArray(data6))){
const err5 = {instancePath:instancePath+"/tool/poetry/dependencies",schemaPath:"#/definitions/poetry/properties/dependencies/type",keyword:"type",params:{type: "object"},message:"must be object",data:data6};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
}
else {
const err6 = {instancePath:instancePath+"/tool/poetry",schemaPath:"#/definitions/poetry/type",keyword:"type",params:{type: "object"},message:"must be object",data:data2};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
}
else {
const err7 = {instancePath:instancePath+"/tool",schemaPath:"#/properties/tool/type",keyword:"type",params:{type: "object"},message:"must be object",data:data1};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
}
else {
const err8 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",data};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
validate34.errors = vErrors;
return errors === 0;
}

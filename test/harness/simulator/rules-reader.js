// @ts-check
'use strict';
/**
 * Reading a request body the way Legnext's Go handlers do: field types (with Go's unmarshal error
 * text), lengths in runes, ranges, http(s) URLs. Exists so every endpoint rule checks fields alike.
 */
const { badRequest } = require('./errors');

const MAX_TEXT = 8192;

/** @param {unknown} value */
function goType(value) {
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'string') return 'string';
	if (typeof value === 'number') return `number ${value}`;
	if (typeof value === 'boolean') return 'bool';
	return 'object';
}

/** Unicode characters, as Go's validator counts them (runes). @param {string} text */
function runeLength(text) {
	let n = 0;
	for (const _ of text) n++;
	return n;
}

/** @param {string} text */
function isHttpUrl(text) {
	if (!/^https?:\/\//i.test(text)) return false;
	try {
		const url = new URL(text);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
	} catch {
		return false;
	}
}

/**
 * Reads one request body the way Legnext's handler for `struct` does.
 */
class Reader {
	/**
	 * @param {Record<string, unknown>} body
	 * @param {string} struct Go struct name used in type errors, e.g. `PanRequest`
	 */
	constructor(body, struct) {
		this.body = body;
		this.struct = struct;
	}

	/** @param {string} field */
	has(field) {
		return this.body[field] !== undefined && this.body[field] !== null;
	}

	/**
	 * @param {string} field
	 * @param {string} goTypeName
	 * @param {unknown} value
	 */
	typeError(field, goTypeName, value) {
		return badRequest(`json: cannot unmarshal ${goType(value)} into Go struct field ${this.struct}.${field} of type ${goTypeName}`);
	}

	/**
	 * A string field, 1–8192 characters unless told.
	 * @param {string} field
	 * @param {{required?: boolean, min?: number, max?: number}} [rule]
	 * @returns {string | undefined}
	 */
	string(field, rule = {}) {
		const { required = false, min = 1, max = MAX_TEXT } = rule;
		const value = this.body[field];
		if (value === undefined || value === null) {
			if (required) throw badRequest(`${field} is required`);
			return undefined;
		}
		if (typeof value !== 'string') throw this.typeError(field, 'string', value);
		if (value === '' && !required) return undefined;
		const length = runeLength(value);
		if (length < min) throw badRequest(`${field} is required and must not be empty`);
		if (length > max) throw badRequest(`${field} must be at most ${max} characters, got ${length}`);
		return value;
	}

	/**
	 * An integer field.
	 * @param {string} field
	 * @param {{required?: boolean, min: number, max: number}} rule
	 * @returns {number | undefined}
	 */
	int(field, rule) {
		const value = this.body[field];
		if (value === undefined || value === null) {
			if (rule.required) throw badRequest(`${field} is required`);
			return undefined;
		}
		if (typeof value !== 'number' || !Number.isInteger(value)) throw this.typeError(field, 'int', value);
		if (value < rule.min || value > rule.max) throw badRequest(`${field} must be an integer from ${rule.min} to ${rule.max}, got ${value}`);
		return value;
	}

	/**
	 * A number field.
	 * @param {string} field
	 * @param {{required?: boolean, min: number, max: number}} rule
	 * @returns {number | undefined}
	 */
	number(field, rule) {
		const value = this.body[field];
		if (value === undefined || value === null) {
			if (rule.required) throw badRequest(`${field} is required`);
			return undefined;
		}
		if (typeof value !== 'number' || !Number.isFinite(value)) throw this.typeError(field, 'float64', value);
		if (value < rule.min - 1e-9 || value > rule.max + 1e-9) throw badRequest(`${field} must be from ${rule.min} to ${rule.max}, got ${value}`);
		return value;
	}

	/**
	 * An http(s) URL field.
	 * @param {string} field
	 * @param {{required?: boolean, max?: number}} [rule]
	 */
	url(field, rule = {}) {
		const value = this.string(field, { required: rule.required, max: rule.max ?? MAX_TEXT });
		if (value !== undefined && !isHttpUrl(value)) throw badRequest(`${field} must be a valid http(s) URL`);
		return value;
	}

	/**
	 * An object field.
	 * @param {string} field
	 * @param {string} goTypeName
	 * @param {{required?: boolean}} [rule]
	 * @returns {Record<string, unknown> | undefined}
	 */
	object(field, goTypeName, rule = {}) {
		const value = this.body[field];
		if (value === undefined || value === null) {
			if (rule.required) throw badRequest(`${field} is required`);
			return undefined;
		}
		if (typeof value !== 'object' || Array.isArray(value)) throw this.typeError(field, goTypeName, value);
		return /** @type {Record<string, unknown>} */ (value);
	}

	/** The optional `callback`: empty means none. */
	callback() {
		return this.url('callback', { max: 2048 });
	}
}

/**
 * Checks an integer inside a nested object (canvas.width…).
 * @param {Reader} reader
 * @param {Record<string, unknown>} object
 * @param {string} path e.g. `canvas.width`
 * @param {number} min
 */
function nestedInt(reader, object, path, min) {
	const key = /** @type {string} */ (path.split('.').pop());
	const value = object[key];
	if (value === undefined || value === null) throw badRequest(`${path} is required`);
	if (typeof value !== 'number' || !Number.isInteger(value)) throw reader.typeError(path, 'int', value);
	if (value < min) throw badRequest(`${path} must be at least ${min}, got ${value}`);
	return value;
}


/**
 * edit / upload-paint: the `canvas` and the image's place on it (`imgPos`), sizes at least 1.
 * @param {Reader} reader
 * @returns {Record<string, unknown>} imgPos
 */
function canvasAndPosition(reader) {
	const canvas = /** @type {Record<string, unknown>} */ (reader.object('canvas', 'Canvas', { required: true }));
	nestedInt(reader, canvas, 'canvas.width', 1);
	nestedInt(reader, canvas, 'canvas.height', 1);
	const imgPos = /** @type {Record<string, unknown>} */ (reader.object('imgPos', 'ImgPos', { required: true }));
	nestedInt(reader, imgPos, 'imgPos.width', 1);
	nestedInt(reader, imgPos, 'imgPos.height', 1);
	return imgPos;
}

module.exports = { Reader, nestedInt, canvasAndPosition, goType, isHttpUrl, MAX_TEXT };

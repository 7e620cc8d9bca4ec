// SPDX-License-Identifier: GPL-2.0
/*
 * device: character devices (/dev/<name>) whose open, read, write and
 * release are Lua functions of the runtime that created them.
 *
 * Lifetimes.  The char device (struct devnode: a struct device and its cdev)
 * holds a reference on the object, and every open file holds the cdev; so
 * a file opened before the device was stopped keeps both alive, and its
 * reads then fail with -ENXIO.  Stopping (dev:stop(), collection, __close
 * or the end of the runtime) removes /dev/<name> at once.
 *
 * The core's hook service keeps the device reachable while it runs
 * (registry[obj] = {driver, userdata}: a script may drop the value
 * device.new() returns) and enters the runtime for each file operation.
 *
 * Not a misc device: misc_open() calls ->open() under the global
 * misc_mtx, and a Lua open() waiting for the runtime's lock there would
 * stall every misc device and deadlock against a runtime that stops one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/fs.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/idr.h>
#include <linux/mm.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "lunatik.h"

#define DEVICE_MINORS	256
#define DEVICE_NAME_MAX	64	/* NUL included */
#define DEVICE_IOMAX	(16 * PAGE_SIZE)	/* per read(2) or write(2) */
#define DEVICE_SMALL	128	/* bounced through the stack, not the heap */

/* what Lua sees: one per device.new() */
struct luadev {
	struct lunatik_hook hook;	/* anchors and calls; registers nothing */
	struct devnode *node;	/* NULL once stopped */
	int minor;
	struct list_head entry;	/* in devices, while node is set */
	char name[DEVICE_NAME_MAX];
};

/* what the kernel sees: lives while a file is open */
struct devnode {
	struct device dev;
	struct cdev cdev;
	struct lunatik_object *obj;
	umode_t mode;
};

static dev_t ldev_base;
static struct class *ldev_class;
static DEFINE_IDA(ldev_ida);
/* names in use; also serialises adding and removing the char devices */
static LIST_HEAD(devices);
static DEFINE_MUTEX(devices_mutex);

static const struct lunatik_class ldev_class_lua;

/* --- calling into Lua --------------------------------------------------- */

struct devcall {
	const char *op;
	char *buf;
	size_t len;
	loff_t off;
	loff_t newoff;
};

/*
 * With the driver on the top (lunatik_hook_call()), pushes driver[op] and
 * driver (its self).  Return: 0, or 1 if the driver has no such callback.
 */
static int ldev_push(lua_State *L, const char *op)
{
	if (lua_getfield(L, -1, op) == LUA_TNIL)
		return 1;
	lua_insert(L, -2);
	return 0;
}

/* open(self) and release(self): absent means nothing to do */
static int ldev_doopen(lua_State *L, struct lunatik_hook *hook, void *arg)
{
	struct devcall *c = arg;
	int ret = ldev_push(L, c->op);

	if (ret)
		return ret > 0 ? 0 : ret;
	lua_call(L, 1, 0);
	return 0;
}

/* read(self, len, off) -> str[, newoff]; nil or "" is the end of file */
static int ldev_doread(lua_State *L, struct lunatik_hook *hook, void *arg)
{
	struct devcall *c = arg;
	int ret = ldev_push(L, "read");
	const char *s;
	size_t n = 0;

	if (ret)
		return ret > 0 ? -EINVAL : ret;
	lua_pushinteger(L, c->len);
	lua_pushinteger(L, c->off);
	lua_call(L, 3, 2);
	if (!lua_isnil(L, -2)) {
		if (lua_type(L, -2) != LUA_TSTRING)
			return luaL_error(L, "device: read must return a string");
		s = lua_tolstring(L, -2, &n);
		n = min(n, c->len);
		memcpy(c->buf, s, n);
	}
	c->newoff = luaL_optinteger(L, -1, c->off + n);
	if (c->newoff < 0)
		return luaL_error(L, "device: negative offset");
	return n;
}

/* write(self, buf, off) -> [n[, newoff]]; n defaults to all of it */
static int ldev_dowrite(lua_State *L, struct lunatik_hook *hook, void *arg)
{
	struct devcall *c = arg;
	int ret = ldev_push(L, "write");
	lua_Integer n;

	if (ret)
		return ret > 0 ? -EINVAL : ret;
	lua_pushlstring(L, c->buf, c->len);
	lua_pushinteger(L, c->off);
	lua_call(L, 3, 2);
	n = luaL_optinteger(L, -2, c->len);
	if (n < 0 || n > c->len)
		return luaL_error(L, "device: write returned %I of %I bytes",
				  n, (lua_Integer)c->len);
	c->newoff = luaL_optinteger(L, -1, c->off + n);
	if (c->newoff < 0)
		return luaL_error(L, "device: negative offset");
	return n;
}

static int ldev_call(struct lunatik_object *obj,
		     int (*fn)(lua_State *L, struct lunatik_hook *hook,
			       void *arg), struct devcall *c)
{
	struct luadev *ld = lunatik_private(obj);
	int ret = lunatik_hook_call(&ld->hook, fn, NULL, c, 0);

	/* a stopped device's files read ENXIO; the budget's -ECANCELED
	 * means nothing to read(2)'s caller
	 */
	if (ret == -ESHUTDOWN)
		return -ENXIO;
	return ret == -ECANCELED ? -EIO : ret;
}

/* --- file operations --------------------------------------------------- */

static int ldev_fop_open(struct inode *inode, struct file *file)
{
	struct devnode *node = container_of(inode->i_cdev, struct devnode,
					    cdev);
	struct devcall c = { .op = "open" };

	file->private_data = node;
	return ldev_call(node->obj, ldev_doopen, &c);
}

static int ldev_fop_release(struct inode *inode, struct file *file)
{
	struct devnode *node = file->private_data;
	struct devcall c = { .op = "release" };

	/* nothing to report to close(2); a stopped device has no release */
	ldev_call(node->obj, ldev_doopen, &c);
	return 0;
}

static ssize_t ldev_fop_read(struct file *file, char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	struct devnode *node = file->private_data;
	struct devcall c = { .off = *ppos };
	char small[DEVICE_SMALL];
	ssize_t ret;

	c.len = min_t(size_t, len, DEVICE_IOMAX);
	if (!c.len)
		return 0;
	c.buf = c.len <= sizeof(small) ? small : kvmalloc(c.len, GFP_KERNEL);
	if (!c.buf)
		return -ENOMEM;
	ret = ldev_call(node->obj, ldev_doread, &c);
	if (ret > 0 && copy_to_user(ubuf, c.buf, ret))
		ret = -EFAULT;
	else if (ret >= 0)
		*ppos = c.newoff;
	if (c.buf != small)
		kvfree(c.buf);
	return ret;
}

static ssize_t ldev_fop_write(struct file *file, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	struct devnode *node = file->private_data;
	struct devcall c = { .off = *ppos };
	char small[DEVICE_SMALL];
	ssize_t ret;

	c.len = min_t(size_t, len, DEVICE_IOMAX);
	if (!c.len)
		return 0;
	if (c.len <= sizeof(small)) {
		if (copy_from_user(small, ubuf, c.len))
			return -EFAULT;
		c.buf = small;
	} else {
		c.buf = vmemdup_user(ubuf, c.len);
		if (IS_ERR(c.buf))
			return PTR_ERR(c.buf);
	}
	ret = ldev_call(node->obj, ldev_dowrite, &c);
	if (ret >= 0)
		*ppos = c.newoff;
	if (c.buf != small)
		kvfree(c.buf);
	return ret;
}

static const struct file_operations ldev_fops = {
	.owner = THIS_MODULE,
	.open = ldev_fop_open,
	.release = ldev_fop_release,
	.read = ldev_fop_read,
	.write = ldev_fop_write,
	.llseek = default_llseek,
};

/* --- the char device ----------------------------------------------------- */

static char *devnode_devnode(struct device *dev, umode_t *mode, kuid_t *uid,
			     kgid_t *gid)
{
	struct devnode *node = container_of(dev, struct devnode, dev);

	if (mode)
		*mode = node->mode;
	return NULL;
}

static const struct device_type devnode_type = {
	.devnode = devnode_devnode,
};

/* The last file is closed and the device removed. */
static void devnode_release(struct device *dev)
{
	struct devnode *node = container_of(dev, struct devnode, dev);

	lunatik_putobject(node->obj);
	kfree(node);
}

static struct luadev *ldev_find(const char *name)
{
	struct luadev *ld;

	list_for_each_entry(ld, &devices, entry)
		if (!strcmp(ld->name, name))
			return ld;
	return NULL;
}

static bool ldev_devexists(const char *name)
{
	char path[sizeof("/dev/") + DEVICE_NAME_MAX];
	struct path p;

	snprintf(path, sizeof(path), "/dev/%s", name);
	if (kern_path(path, 0, &p))
		return false;
	path_put(&p);
	return true;
}

/* Creates /dev/@ld->name for @obj.  Return: 0 or -errno. */
static int ldev_add(struct lunatik_object *obj, umode_t mode)
{
	struct luadev *ld = lunatik_private(obj);
	struct devnode *node;
	int minor, ret;

	mutex_lock(&devices_mutex);
	if (ldev_find(ld->name) || ldev_devexists(ld->name)) {
		ret = -EEXIST;
		goto err_unlock;
	}
	minor = ida_alloc_max(&ldev_ida, DEVICE_MINORS - 1, GFP_KERNEL);
	if (minor < 0) {
		ret = minor;
		goto err_unlock;
	}
	node = kzalloc(sizeof(*node), GFP_KERNEL);
	if (!node) {
		ret = -ENOMEM;
		goto err_free_minor;
	}
	node->obj = obj;
	lunatik_getobject(obj);
	node->mode = mode;
	device_initialize(&node->dev);
	node->dev.class = ldev_class;
	node->dev.type = &devnode_type;
	node->dev.devt = MKDEV(MAJOR(ldev_base), minor);
	node->dev.release = devnode_release;
	ret = dev_set_name(&node->dev, "%s", ld->name);
	if (ret)
		goto err_put_node;
	cdev_init(&node->cdev, &ldev_fops);
	node->cdev.owner = THIS_MODULE;
	ret = cdev_device_add(&node->cdev, &node->dev);
	if (ret)
		goto err_put_node;
	ld->node = node;
	ld->minor = minor;
	list_add_tail(&ld->entry, &devices);
	mutex_unlock(&devices_mutex);
	return 0;

err_put_node:
	put_device(&node->dev);
err_free_minor:
	ida_free(&ldev_ida, minor);
err_unlock:
	mutex_unlock(&devices_mutex);
	return ret;
}

/* --- the Lua class ----------------------------------------------------- */

/*
 * Runs in the owning state (its lock held, or while it closes): removes
 * the char device (the core then forgets the driver).  Open files keep
 * the devnode (and so the object) until they are closed.
 */
static void ldev_stop(struct lunatik_object *obj)
{
	struct luadev *ld = lunatik_private(obj);
	struct devnode *node = ld->node;

	if (!node)
		return;
	mutex_lock(&devices_mutex);
	list_del(&ld->entry);
	cdev_device_del(&node->cdev, &node->dev);
	ida_free(&ldev_ida, ld->minor);
	ld->node = NULL;
	mutex_unlock(&devices_mutex);
	put_device(&node->dev);
}

static const struct lunatik_class ldev_class_lua = {
	.name = "device",
	.owner = THIS_MODULE,
	.stop = ldev_stop,
	.contexts = LUNATIK_CTX_BIT(LUNATIK_PROCESS),
	.sleep = true,
};

static bool ldev_name_ok(const char *name, size_t len)
{
	size_t i;

	if (!len || len >= DEVICE_NAME_MAX || name[0] == '.')
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum(name[i]) && !strchr("_-.", name[i]))
			return false;
	return true;
}

static const char *ldev_checkname(lua_State *L)
{
	const char *name;
	size_t len;

	if (lua_getfield(L, 1, "name") != LUA_TSTRING)
		luaL_error(L, "device: name must be a string");
	name = lua_tolstring(L, -1, &len);
	if (!ldev_name_ok(name, len))
		luaL_error(L, "device: invalid name '%s' (1 to %d of "
			   "A-Z a-z 0-9 _ - ., not starting with '.')",
			   name, DEVICE_NAME_MAX - 1);
	return name;
}

static umode_t ldev_checkmode(lua_State *L)
{
	lua_Integer mode;
	int isint;

	if (lua_getfield(L, 1, "mode") == LUA_TNIL)
		return 0600;
	mode = lua_tointegerx(L, -1, &isint);
	if (!isint || mode < 0 || mode > 0777)
		luaL_error(L, "device: mode must be an integer in 0..0777");
	return mode;
}

/* device.new{name, mode, open, read, write, release} */
static int ldev_new(lua_State *L)
{
	struct lunatik_object *obj;
	struct luadev *ld;
	const char *name;
	umode_t mode;
	int ret;

	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	name = ldev_checkname(L);
	mode = ldev_checkmode(L);
	obj = lunatik_newobject(L, &ldev_class_lua, sizeof(*ld));
	if (!lunatik_toruntime(L))
		return luaL_error(L, "device: needs a runtime (lunatik run)");
	ld = lunatik_private(obj);
	strscpy(ld->name, name, sizeof(ld->name));
	/* before the device exists: its first open finds the driver */
	lunatik_hook_init(L, obj, &ld->hook, 1, 0);
	ret = ldev_add(obj, mode);
	if (ret == -EEXIST)
		return luaL_error(L, "device: /dev/%s already exists", name);
	if (ret)
		return luaL_error(L, "device: cannot create /dev/%s (%d)",
				  name, ret);
	return 1;
}

static const luaL_Reg ldev_funcs[] = {
	{ "new", ldev_new },
	{ NULL, NULL }
};

static int luaopen_device(lua_State *L)
{
	lunatik_newclass(L, &ldev_class_lua);
	luaL_newlib(L, ldev_funcs);
	return 1;
}

/* the char devices need a region and a class first */
static int ldev_setup(void)
{
	int ret;

	ret = alloc_chrdev_region(&ldev_base, 0, DEVICE_MINORS, "lunatik");
	if (ret)
		return ret;
	ldev_class = class_create(THIS_MODULE, "lunatik");
	if (IS_ERR(ldev_class)) {
		unregister_chrdev_region(ldev_base, DEVICE_MINORS);
		return PTR_ERR(ldev_class);
	}
	return 0;
}

static void ldev_teardown(void)
{
	class_destroy(ldev_class);
	unregister_chrdev_region(ldev_base, DEVICE_MINORS);
	ida_destroy(&ldev_ida);
}

LUNATIK_LIB_SETUP(device, luaopen_device, ldev_setup, ldev_teardown);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik: the device library");
